from .counts import BLOCK_SIZE


class BoundedNumberConverter:
    """A number in a URL within the range of a database column: past it, no match (a
    404), where the database would fail or be asked a question it cannot use an
    index for."""

    regex: str
    MAX: int

    def to_python(self, value):
        number = int(value)
        if number > self.MAX:
            raise ValueError(f"Past {self.MAX}")
        return number

    def to_url(self, value):
        return str(value)


class CommentIdConverter(BoundedNumberConverter):
    """A comment's number in a URL, within the range of its 32-bit id column.

    Django guards integer lookups against overflow only on integer fields; a comment's
    primary key is a link to its parent row, so a number too big for the database
    would reach it unguarded.
    """

    regex = "[0-9]{1,10}"
    MAX = 2**31 - 1


class CountsBlockConverter(BoundedNumberConverter):
    """A block of story numbers in a URL (comments.counts): one spelling per block (no
    leading zeros, which would make copies of one document in the caches), within the
    range of the stories' 64-bit ids."""

    regex = "0|[1-9][0-9]{0,15}"
    MAX = (2**63 - 1) // BLOCK_SIZE - 1  # its last id too
