import subprocess

import pytest


@pytest.fixture(autouse=True)
def _pdf_cache(settings, tmp_path):
    """Each test renders with an empty section cache of its own."""
    settings.PDF_CACHE_DIR = str(tmp_path / "pdf-cache")


def pdf_text(data: bytes, tmp_path, *, first: int | None = None, last: int | None = None) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
