-- Storage prototype: forget snapshots older than now (time travel is not a feature we offer).
CALL ducklake_expire_snapshots('lake', older_than => now())
