"""The one error a user sees for a file gongwen cannot read."""


class InputError(Exception):
    """A file that cannot be processed; the message is one line a user can act on."""
