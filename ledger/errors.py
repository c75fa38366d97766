"""The ledger's one error family (STYLE habit 7).

Every error a user can cause or meet carries a stable ``code`` and the process ``exit_code`` the
CLI uses: 2 for bad input or usage (nothing written), 1 for a failed verification. The CLI
catches :class:`LedgerError` in exactly one place.
"""

from __future__ import annotations

from typing import ClassVar


class LedgerError(Exception):
    """Base of every error the ledger raises on purpose."""

    code: ClassVar[str] = "error"
    exit_code: ClassVar[int] = 2

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code  # type: ignore[misc]

    def __str__(self) -> str:
        return self.message


class InputError(LedgerError):
    """Bad input: a malformed argument, payload or file. Nothing was written."""

    code = "input"


class KeyFileError(InputError):
    """A key file is missing, unreadable, not Ed25519, or its passphrase is wrong."""

    code = "key"


class RefusedError(InputError):
    """The ledger refuses the event: the process, the actor's rights or its key forbid it."""

    code = "refused"


class ConflictError(LedgerError):
    """Another writer appended to the same stream first; nothing of ours was stored."""

    code = "conflict"


class StoreError(LedgerError):
    """The database cannot be reached or is not an exitledger database."""

    code = "store"


class VerificationError(LedgerError):
    """The ledger or bundle failed verification."""

    code = "verification"
    exit_code = 1


class SignatureError(VerificationError):
    """A signature does not verify under the key it claims."""

    code = "signature"


class ProofError(VerificationError):
    """A Merkle inclusion or consistency proof does not verify (RFC 9162 §2.1.3.2, §2.1.4.2)."""

    code = "proof"
