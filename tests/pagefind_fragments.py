"""Read a built site's Pagefind result fragments (gzip, a signature, then JSON) for static tests."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


def fragments(site: Path) -> list[dict[str, Any]]:
    """Every indexed page's result data: url, content, meta (title), anchors."""
    out = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE), path
        out.append({**json.loads(data[len(SIGNATURE):]), "file": path.name})
    return out
