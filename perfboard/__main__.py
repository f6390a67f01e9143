import sys

from perfboard.cli import main

sys.exit(main())
