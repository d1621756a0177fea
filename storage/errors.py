"""Errors of the storage layer, worded for the person using the tool.

Every message says what happened and, where there is one, what to do instead. The UI can show
`str(error)` as it is.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base class of every error raised by `storage`."""


class AccessDenied(StorageError, PermissionError):
    """The caller's scope does not cover the agency or assessment asked for."""


class NotFound(StorageError, LookupError):
    """An agency or assessment that does not exist."""


class AssessmentLocked(StorageError):
    """A submitted assessment is read-only."""

    def __init__(self, message: str, assessment_id: int) -> None:
        super().__init__(message)
        self.assessment_id = assessment_id


class WorkflowError(StorageError):
    """A review step that does not fit the assessment's status (accepting a draft, ...)."""


class DuplicateAssessment(StorageError):
    """The agency already has an assessment for that round and questionnaire."""

    def __init__(self, message: str, existing_id: int) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class InvalidValue(StorageError, ValueError):
    """An answer, round, actor or other input that cannot be stored as given."""


class SchemaTooNew(StorageError):
    """The database was migrated by a newer version of the program than this one."""


class StaleAnswer(StorageError):
    """A save based on an older version of the answer than the one stored: someone else (another
    window, a colleague, an import) changed it in between. Nothing was written; reload and decide."""

    def __init__(self, message: str, assessment_id: int, question_id: str, based_on: int, current: int) -> None:
        super().__init__(message)
        self.assessment_id = assessment_id
        self.question_id = question_id
        self.based_on = based_on
        self.current = current


class DatabaseBusy(StorageError):
    """Every database connection of this app process stayed in use for the pool's timeout: the
    step was not carried out (nothing written); trying again a moment later normally works."""
