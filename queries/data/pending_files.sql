-- 数据与来源：上传后未能读取、留待处理的文件及原因。
SELECT source_file, reason_code, reason_zh, reason_en, received_at, sha256
FROM pending_files
ORDER BY received_at DESC
