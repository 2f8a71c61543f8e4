class CommentIdConverter:
    """A comment's number in a URL, within the range of its 32-bit id column.

    Django guards integer lookups against overflow only on integer fields; a comment's
    primary key is a link to its parent row, so a number too big for the database
    would reach it unguarded. Here it is simply no match: a 404.
    """

    regex = "[0-9]{1,10}"
    MAX = 2**31 - 1

    def to_python(self, value):
        number = int(value)
        if number > self.MAX:
            raise ValueError("Not a comment id")
        return number

    def to_url(self, value):
        return str(value)
