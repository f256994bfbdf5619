"""The referral lifecycle as pure rules: which state may follow which, who moves it, and which
moves need a reason. Aligned with the HL7 FHIR SDOH Clinical Care referral Task states (the
mapping is `FHIR_STATUS`; README "Referrals")."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    IN_SERVICE = "in_service"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    FAILED = "failed"


class Side(StrEnum):
    """Who may make a move: the referring social worker, or the receiving side (the facility's
    provider staff; human resources for a vacancy or a course); `system` for a lapsed hold."""

    WORKER = "worker"
    RECEIVER = "receiver"
    SYSTEM = "system"


class Move(StrEnum):
    SEND = "send"
    CANCEL = "cancel"
    ACCEPT = "accept"
    DECLINE = "decline"
    START = "start"
    HOLD = "hold"
    RESUME = "resume"
    COMPLETE = "complete"
    FAIL = "fail"
    EXPIRE = "expire"


# move → (from states, to state, side, reason required)
MOVES: dict[Move, tuple[frozenset[State], State, Side, bool]] = {
    Move.SEND: (frozenset({State.DRAFT}), State.SENT, Side.WORKER, False),
    Move.CANCEL: (frozenset({State.DRAFT, State.SENT}), State.CANCELLED, Side.WORKER, True),
    Move.ACCEPT: (frozenset({State.SENT}), State.ACCEPTED, Side.RECEIVER, False),
    Move.DECLINE: (frozenset({State.SENT}), State.DECLINED, Side.RECEIVER, True),
    Move.START: (frozenset({State.ACCEPTED}), State.IN_SERVICE, Side.RECEIVER, False),
    Move.HOLD: (frozenset({State.IN_SERVICE}), State.ON_HOLD, Side.RECEIVER, True),
    Move.RESUME: (frozenset({State.ON_HOLD}), State.IN_SERVICE, Side.RECEIVER, False),
    Move.COMPLETE: (frozenset({State.IN_SERVICE}), State.COMPLETED, Side.RECEIVER, False),
    Move.FAIL: (
        frozenset({State.ACCEPTED, State.IN_SERVICE, State.ON_HOLD}),
        State.FAILED,
        Side.RECEIVER,
        True,
    ),
    Move.EXPIRE: (frozenset({State.SENT}), State.EXPIRED, Side.SYSTEM, False),
}

CLOSED = frozenset({State.DECLINED, State.CANCELLED, State.EXPIRED, State.COMPLETED, State.FAILED})
# States in which a place is held (sent) or taken (accepted onwards) for the resident.
HOLDING = frozenset({State.SENT})
TAKING = frozenset({State.ACCEPTED, State.IN_SERVICE, State.ON_HOLD})

FHIR_STATUS: dict[State, str] = {
    State.DRAFT: "draft",
    State.SENT: "requested",
    State.ACCEPTED: "accepted",
    State.DECLINED: "rejected",
    State.CANCELLED: "cancelled",
    State.EXPIRED: "failed",  # businessStatus "hold lapsed"
    State.IN_SERVICE: "in-progress",
    State.ON_HOLD: "on-hold",
    State.COMPLETED: "completed",
    State.FAILED: "failed",
}


def next_moves(state: State) -> list[Move]:
    """The moves a person may make from `state` (the lapse is the system's, not listed)."""
    return [m for m, (src, _, side, _) in MOVES.items() if state in src and side is not Side.SYSTEM]


def target(state: State, move: Move) -> State | None:
    """The state `move` leads to from `state`, or None when it is not allowed from there."""
    src, dst, _, _ = MOVES[move]
    return dst if state in src else None


def side_of(move: Move) -> Side:
    return MOVES[move][2]


def needs_reason(move: Move) -> bool:
    return MOVES[move][3]
