"""Why a file could not be read, in English and Chinese, one line each."""


class ReadError(Exception):
    def __init__(self, code: str, en: str, zh: str):
        super().__init__(f"{en} / {zh}")
        self.code = code
        self.en = en
        self.zh = zh

    def __reduce__(self):
        # a file refused while it was read travels to the ingest's pool workers pickled;
        # Exception's default (one argument, the message) could not rebuild it there, and
        # the whole pool broke with a traceback
        return type(self), (self.code, self.en, self.zh)


def empty() -> ReadError:
    return ReadError("empty", "the file is empty", "文件为空")


def too_large(limit_mb: int) -> ReadError:
    return ReadError("too_large", f"the file is larger than {limit_mb} MB",
                     f"文件超过 {limit_mb} MB 上限")


def unknown_type(suffix: str) -> ReadError:
    return ReadError("unknown_type", f"unsupported file type '{suffix or '(none)'}' "
                                     "(use TXT, PDF, DOCX, XLSX, PNG or JPG; records as CSV, XLSX or JSON)",
                     f"不支持的文件类型“{suffix or '无扩展名'}”（请使用 TXT、PDF、DOCX、XLSX、PNG 或 JPG；"
                     "录入表用 CSV、XLSX 或 JSON）")


def records_file() -> ReadError:
    return ReadError("records", "a records table (the template's rows), not a report: store it with ingest",
                     "这是录入表（按模板填写的数据），不是报告：请用 ingest 入库")


def no_text_in_image() -> ReadError:
    return ReadError("no_text", "no text recognised in the image (too blurred, too small or not a document?)",
                     "图片中未识别出文字（过于模糊、过小或不是文档？）")


def binary_text() -> ReadError:
    return ReadError("binary", "the file is not text (binary content)", "文件不是文本（二进制内容）")


def undecodable() -> ReadError:
    return ReadError("encoding", "the text is neither UTF-8 nor GB18030", "文本编码无法识别（既非 UTF-8 也非 GB18030）")


def no_text() -> ReadError:
    return ReadError("no_text", "no text found (a scanned document without a text layer?)",
                     "未找到文字内容（可能是没有文字层的扫描件）")


def encrypted() -> ReadError:
    return ReadError("encrypted", "the document is encrypted or password-protected", "文档已加密或受密码保护")


def corrupt(kind: str) -> ReadError:
    return ReadError("corrupt", f"the {kind} file is damaged or truncated", f"{kind} 文件已损坏或不完整")


def zip_bomb() -> ReadError:
    return ReadError("zip_bomb", "the archive expands to an unreasonable size (zip bomb?)",
                     "压缩内容解压后过大（疑似压缩炸弹）")


def too_complex(kind: str) -> ReadError:
    return ReadError("too_complex", f"the {kind} file needs too much memory or time to read (damaged or hostile?)",
                     f"{kind} 文件读取所需内存或时间过多（可能已损坏或被构造）")


def no_ocr() -> ReadError:
    return ReadError("no_ocr", "reading images needs OCR, which is not installed (rapidocr-onnxruntime)",
                     "读取图片需要 OCR 组件（rapidocr-onnxruntime），当前未安装")


def symlink() -> ReadError:
    return ReadError("symlink", "the path is a symbolic link; links are not followed (give the file itself)",
                     "这是符号链接，出于安全不予读取（请直接提供文件本身）")


def not_regular() -> ReadError:
    return ReadError("not_regular", "not a regular file (a device, pipe or socket)",
                     "不是普通文件（设备、管道或套接字），不予读取")
