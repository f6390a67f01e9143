-- Done with the bulk file under the name base (a reader that falls back to the bulk file alone).
DETACH base
