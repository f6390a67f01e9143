-- The original bytes of one pending file, to download it again.
SELECT source_file, bytes FROM pending_files WHERE sha256 = $sha256
