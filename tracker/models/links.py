"""Entity links, review judgements and stories."""

from __future__ import annotations
