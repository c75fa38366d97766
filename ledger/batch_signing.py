"""Signatures of a batch's bodies, made on the other core while the batch is still being decided.

A record's ``prev`` is the hash of the body before it, never its signature, so the append path
decides and hashes bodies in order and hands each to :class:`Signing`, which returns the stored
envelopes once every body is signed. Past the first :attr:`Signing.CHUNK` entries a helper
process is started (``ledger.sodium_sign``, which imports only PyNaCl): chunks of bodies go to
its stdin, base64 signatures come back on its stdout in the same order.

Measured per entry of a 10,000-entry batch, CPU time of the appending process: 73 µs signing
inline, 60 µs with the forked ``ProcessPoolExecutor`` this replaces (its manager thread pickles
each chunk under the GIL, and after a fork every page this process writes is copied once), 52–55
µs with this helper. A signing thread would get the GIL back only once per switch interval.
Where the second core is shared (two busy processes ran at 0.6× each on the 2-vCPU machine
measured), the wall-clock time barely moves; on a free core it falls by the signing share.

Nothing depends on the helper running: if it cannot start or stops
early, whatever it has not signed is signed here, with the same function. Ed25519 is
deterministic, so the envelopes are byte-identical either way, and nothing is stored before
all of them exist.
"""

from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
from collections.abc import Iterator
from uuid import UUID

from ledger import sodium_sign
from ledger.record import envelope
from ledger.signing import Signer
from ledger.sodium_sign import FRAME, sign_b64

SIG_B64_SIZE = 88
"""Standard base64 with padding of a 64-byte signature."""
_READ = 1 << 16


class Signing:
    """Signs the bodies of one batch; :meth:`envelopes` yields them in the order they were added.

    Batches of fewer than :attr:`CHUNK` entries (every single ``record``) are signed inline, with
    no process started. :meth:`close` must be called once the batch is saved or abandoned.
    """

    CHUNK = 256

    def __init__(self) -> None:
        self._sealed: list[tuple[UUID, int, bytes, str]] = []
        self._signers: list[Signer] = []
        self._sent = 0  # entries handed to the helper
        self._helper: _Helper | None = None
        self._started = False

    def add(self, stream_id: UUID, version: int, body: bytes, digest: str, signer: Signer) -> None:
        self._sealed.append((stream_id, version, body, digest))
        self._signers.append(signer)
        if len(self._sealed) - self._sent == self.CHUNK:
            if not self._started:
                self._started = True
                self._helper = _Helper.start()
            if self._helper is not None:
                end = len(self._sealed)
                self._helper.send(self._sealed[self._sent : end], self._signers[self._sent : end])
                self._sent = end

    def envelopes(self) -> Iterator[tuple[UUID, int, bytes]]:
        """Every (stream id, version, stored envelope) of the batch, in the order added."""
        signatures = self._helper.collect() if self._helper is not None else []
        for i in range(len(signatures), len(self._sealed)):  # unsent, or the helper failed
            signatures.append(sign_b64(self._signers[i].secret, self._sealed[i][2]))
        for (stream_id, version, body, digest), sig in zip(self._sealed, signatures, strict=True):
            yield stream_id, version, envelope(body, digest, sig)

    def close(self) -> None:
        if self._helper is not None:
            self._helper.stop()
            self._helper = None


class _Helper:
    """The signer process: written to and read from without waiting until :meth:`collect`."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self._process = process
        self._to = process.stdin.fileno()
        self._from = process.stdout.fileno()
        os.set_blocking(self._to, False)
        os.set_blocking(self._from, False)
        _widen(self._to)
        self._out = bytearray()  # framed chunks the pipe has not taken yet
        self._in = bytearray()  # signatures read, in order
        self._keys: dict[bytes, int] = {}  # secret → its index in the helper's list
        self._expected = 0
        self._failed = False

    @classmethod
    def start(cls) -> _Helper | None:
        """Start the helper; None (sign here) where that is impossible."""
        if not sys.executable or os.name != "posix":  # select() on pipes is POSIX's
            return None
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", sodium_sign.__file__],  # -I: no PYTHON* variables, no script dir on the path
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except OSError:
            return None
        return cls(process)

    def send(self, sealed: list[tuple[UUID, int, bytes, str]], signers: list[Signer]) -> None:
        """Queue one chunk and hand the pipe what it takes now."""
        new: list[bytes] = []
        indexes: list[int] = []
        for signer in signers:
            index = self._keys.get(signer.secret)
            if index is None:
                index = self._keys[signer.secret] = len(self._keys)
                new.append(signer.secret)
            indexes.append(index)
        chunk = pickle.dumps((new, indexes, [item[2] for item in sealed]), protocol=pickle.HIGHEST_PROTOCOL)
        self._out += FRAME.pack(len(chunk))
        self._out += chunk
        self._expected += len(sealed)
        self._pump()

    def collect(self) -> list[bytes]:
        """The signatures the helper made, in order: all of them unless it failed."""
        while self._out and not self._failed:
            select.select([self._from], [self._to], [])
            self._pump()
        self._close_input()  # the helper leaves once it has answered everything
        want = self._expected * SIG_B64_SIZE
        while len(self._in) < want and not self._failed:
            select.select([self._from], [], [])
            self._read()
        got = min(len(self._in), want) // SIG_B64_SIZE * SIG_B64_SIZE
        data = bytes(self._in[:got])
        return [data[i : i + SIG_B64_SIZE] for i in range(0, got, SIG_B64_SIZE)]

    def stop(self) -> None:
        """Close the pipes and reap the helper, stopping it first if it may still be working."""
        self._close_input()
        if len(self._in) < self._expected * SIG_B64_SIZE or self._failed:
            self._process.kill()
        self._process.stdout.close()  # type: ignore[union-attr]
        self._process.wait()

    def _pump(self) -> None:
        self._read()
        if self._out and not self._failed:
            try:
                written = os.write(self._to, self._out)
            except BlockingIOError:
                return
            except OSError:  # the helper is gone: what it did not sign is signed here
                self._failed = True
                return
            del self._out[:written]

    def _read(self) -> None:
        while not self._failed:
            try:
                data = os.read(self._from, _READ)
            except BlockingIOError:
                return
            if not data:
                self._failed = len(self._in) < self._expected * SIG_B64_SIZE
                return
            self._in += data

    def _close_input(self) -> None:
        if not self._process.stdin.closed:  # type: ignore[union-attr]
            try:
                self._process.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass


def _widen(fd: int) -> None:
    """Let the pipe to the helper hold a megabyte (Linux), not 64 KiB: the helper could otherwise
    take only a hundred bodies per chunk of 256 sent, and sat idle while this process decided."""
    try:
        import fcntl  # POSIX only

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):  # not Linux, or a lower limit: the pipe stays as it is
        pass
