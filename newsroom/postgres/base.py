"""PostgreSQL that never keeps a thread waiting for ever: Django's backend, plus a
deadline on every answer and a per-process circuit breaker.

The server-side timeouts (statement_timeout, lock_timeout,
idle_in_transaction_session_timeout, set in the settings) end slow work, but a server
that is frozen (SIGSTOP, a VM paused, a network gone silent) runs none of them: its
kernel still accepts connections and acknowledges what is sent, so libpq's
connect_timeout, which covers only the handshake, and TCP keepalives never fire, and a
query on an open connection waits for an answer that never comes. psycopg waits for
every answer in Connection.wait(), which takes a timeout (psycopg uses it for
cancel_safe() and notifies()); here every wait gets one. Cancelling the query instead
would not help: the cancel request goes to the same frozen server.

When the deadline passes, the connection is closed (its state is unknown) and the
circuit opens: for circuit_open_seconds no thread of this process waits on the database
again; each fails at once, and the request gets the 503 page. So a freeze costs each
process one deadline, not one per request, and the threads stay free for the pages
served from the page cache, which need no database.

With psycopg's pool (OPTIONS["pool"]), the pool opens the connections in its own
threads and calls _configure_connection() on each: there it becomes a
DeadlineConnection too, so its first statements and every later answer have the
deadline. A thread that gets no connection from the pool in the pool's timeout (the
server refuses or does not answer the pool's attempts) opens the circuit as a
connection attempt that timed out does.
"""

import psycopg
import psycopg_pool
from django.db.backends.postgresql import base

from newsroom.cache import CircuitBreaker, breaker_for


class DeadlineConnection(psycopg.Connection):
    """psycopg's connection, giving up on an answer after `answer_timeout` seconds."""

    answer_timeout: float | None = None
    breaker: CircuitBreaker

    def wait(self, gen, *args, **kwargs):
        if not self.breaker.lets_through():
            self.close()
            raise psycopg.OperationalError("the database did not answer a moment ago")
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.answer_timeout
        try:
            answer = super().wait(gen, *args, **kwargs)
        except psycopg.OperationalError as error:
            if self.pgconn.transaction_status != psycopg.pq.TransactionStatus.ACTIVE:
                raise  # the server answered, with an error
            # No answer in time: the command may still be pending, so the connection
            # cannot be used again.
            self.close()
            self.breaker.trip(error)
            raise psycopg.OperationalError(
                f"the database did not answer within {self.answer_timeout} s"
            ) from error
        self.breaker.close()
        return answer


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's PostgreSQL backend with DeadlineConnection. OPTIONS takes
    answer_timeout and circuit_open_seconds besides psycopg's own."""

    def get_connection_params(self):
        params = super().get_connection_params()
        self.answer_timeout = params.pop("answer_timeout", None)
        self.breaker = breaker_for(
            f"database:{self.alias}",
            params.pop("circuit_open_seconds", 5),
            name="PostgreSQL",
            meanwhile="failing at once, without waiting on it,",
        )
        return params

    def get_new_connection(self, conn_params):
        if not self.breaker.lets_through():
            raise psycopg.OperationalError("the database did not answer a moment ago")
        try:
            connection = super().get_new_connection(conn_params)
        except (psycopg.errors.ConnectionTimeout, psycopg_pool.PoolTimeout) as error:
            self.breaker.trip(error)
            raise
        self.breaker.close()
        return self.with_deadline(connection)

    def _configure_connection(self, connection):
        # Django's hook, which the pool also calls on each connection it opens.
        return super()._configure_connection(self.with_deadline(connection))

    def with_deadline(self, connection):
        # Django connects with psycopg.connect(), and its pool with psycopg's own class;
        # the subclass only adds behaviour, so the connection is given its type here.
        connection.__class__ = DeadlineConnection
        connection.answer_timeout = self.answer_timeout
        connection.breaker = self.breaker
        return connection
