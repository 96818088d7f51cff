"""The one exception tree: every error interdiction raises on purpose derives from InterdictionError."""

from __future__ import annotations


class InterdictionError(Exception):
    """Base of every error we raise on purpose. Its message says what is wrong and what to do."""


class InputError(InterdictionError):
    """A value or record the user gave us cannot be read (bad SMILES, bad CAS, bad row)."""


class InputFileError(InputError):
    """A whole input file cannot be read (missing, wrong format, corrupt)."""


class ReferenceDataError(InterdictionError):
    """A bundled or user-supplied reference file (laws, rules, lists) is malformed."""


class ListImportError(InterdictionError):
    """A sanctions or watch list could not be imported; the previous version stays in force."""


class ConfigError(InterdictionError):
    """A setting (environment variable, option, mapping file) is invalid."""


class TimeLimitError(InputError):
    """Work on one record took longer than its time limit (e.g. a pathological ring system)."""
