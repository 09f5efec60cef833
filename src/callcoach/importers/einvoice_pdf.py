"""The Factur-X / ZUGFeRD XML embedded in a PDF, read in a child process with limits.

PDF parsers have a history of denial-of-service bugs: the PDF is opened in a forked child
under a CPU-time and memory limit, which sends back the XML or its refusal (code and values
kept, so it is still worded in the collector's language). The embedded file is chosen by
its name, and its name is never used as a path.
"""

from __future__ import annotations

import json
import os
import resource
from pathlib import Path

from callcoach.domain.worded import WordedError

EMBEDDED_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")
PDF_SECONDS = 10
PDF_MEMORY = 768 * 1024 * 1024


class EInvoiceError(WordedError):
    """A file that is not a usable e-invoice; the message says why. It lives here, the lower
    of the two e-invoice modules, since the PDF reader refuses with it too (``einvoice``
    re-exports it)."""


def pdf_embedded_xml(path: Path) -> bytes:
    """The Factur-X / ZUGFeRD XML of a PDF, read in a child process with limits."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: parse under limits, write the XML or an error line, exit
        os.close(read_fd)
        code = 0
        try:
            resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY, PDF_MEMORY))
            resource.setrlimit(resource.RLIMIT_CPU, (PDF_SECONDS, PDF_SECONDS + 1))
            payload = b"OK" + _extract(path)
        except EInvoiceError as exc:
            payload, code = b"ER" + _as_json(exc), 1
        except MemoryError:
            refused = EInvoiceError(
                "{path}: refused: the PDF needs too much memory", code="pdf_too_much_memory", path=path
            )
            payload, code = b"ER" + _as_json(refused), 1
        except Exception as exc:
            unreadable = EInvoiceError(
                "{path}: not a readable PDF ({exc})", code="pdf_unreadable_why", path=path, exc=type(exc).__name__
            )
            payload, code = b"ER" + _as_json(unreadable), 1
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
        os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if data.startswith(b"OK"):
        return data[2:]
    if data.startswith(b"ER"):
        raise _from_json(data[2:])
    if os.WIFSIGNALED(status):
        raise EInvoiceError(
            "{path}: refused: the PDF took too long or too much memory to read",
            code="refused_pdf_took_too_long",
            path=path,
        )
    raise EInvoiceError("{path}: not a readable PDF", code="pdf_unreadable", path=path)


def _as_json(error: EInvoiceError) -> bytes:
    """The child's refusal for the parent, its code and values kept (as text) for the wording."""
    values = {name: str(value) for name, value in error.values.items()}
    return json.dumps({"message": str(error), "code": error.code, "values": values}).encode()


def _from_json(data: bytes) -> EInvoiceError:
    try:
        sent = json.loads(data.decode(errors="replace"))
        values = {str(name): value for name, value in dict(sent.get("values", {})).items()}
        error = EInvoiceError(str(sent["message"]), code=str(sent.get("code", "")), **values)
    except (ValueError, KeyError, TypeError):
        error = EInvoiceError(data.decode(errors="replace"))
    return error


def _extract(path: Path) -> bytes:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise EInvoiceError("{path}: refused: the PDF is encrypted", code="refused_pdf_encrypted", path=path)
        attachments = reader.attachments
    except FileNotDecryptedError:
        raise EInvoiceError("{path}: refused: the PDF is encrypted", code="refused_pdf_encrypted", path=path) from None
    except PdfReadError as exc:
        raise EInvoiceError(
            "{path}: not a readable PDF ({exc})", code="pdf_unreadable_why", path=path, exc=exc
        ) from None
    by_name = {name.lower(): name for name in attachments}
    for wanted in EMBEDDED_NAMES:
        if wanted in by_name:
            return attachments[by_name[wanted]][0]
    if not attachments:
        raise EInvoiceError(
            "{path}: a PDF without Factur-X data (no embedded file)", code="pdf_without_factur_x_attachment", path=path
        )
    raise EInvoiceError(
        "{path}: a PDF without Factur-X data (embedded files: {names})",
        code="pdf_without_factur_x",
        path=path,
        names=", ".join(sorted(attachments)),
    )
