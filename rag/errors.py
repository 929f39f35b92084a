"""User-facing errors: each message names the offending value and what to do about it."""


class RagError(Exception):
    """Base for errors a user can fix; the CLI prints them in one line, the API maps them to 4xx."""


class IngestError(RagError):
    """An article file or document could not be read as text."""


class StoreLockedError(RagError):
    """Another process owns the store folder (Chroma is not process-safe)."""


class UnknownCollectionError(RagError):
    """A collection name that the store does not hold."""


class UnknownSourceError(RagError):
    """A source id that the collection does not hold."""


class InvalidInputError(RagError):
    """A question, name or option outside what the system accepts."""


class QuoteMismatchError(RagError):
    """A quote that is not an exact slice of its source: a bug, never shown to users."""


class SourceIdTakenError(RagError):
    """A source id made from a file name or title that a document from another name already holds."""
