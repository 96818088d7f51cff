"""Sanctions and watch-list loaders: each real format read into ListedEntity records."""

from __future__ import annotations

from interdiction.parties.loaders.common import LoadResult
from interdiction.parties.loaders.ofac import OFAC_FILE_NAMES, load_ofac

__all__ = ["LoadResult", "OFAC_FILE_NAMES", "load_ofac"]
