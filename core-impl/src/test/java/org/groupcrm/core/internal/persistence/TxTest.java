package org.groupcrm.core.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import javax.persistence.OptimisticLockException;
import javax.persistence.PersistenceException;
import javax.persistence.RollbackException;

import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.UnavailableException;
import org.groupcrm.core.api.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Tx#translate(RuntimeException)} and {@link Tx#isConnectionFailure(SQLException)}. */
class TxTest {

    @Test
    void optimisticLockInARollbackIsAStaleVersionConflict() {
        RuntimeException failure = new RollbackException("commit failed", new OptimisticLockException("v 3 != 4"));
        ConflictException e = assertInstanceOf(ConflictException.class, Tx.translate(failure));
        assertEquals("stale_version", e.code());
    }

    @Test
    void directOptimisticLockIsAStaleVersionConflict() {
        ConflictException e = assertInstanceOf(ConflictException.class, Tx.translate(new OptimisticLockException()));
        assertEquals("stale_version", e.code());
    }

    @Test
    void uniqueViolationDeepInTheChainIsADuplicateConflict() {
        SQLException sql = new SQLException("duplicate key value violates unique constraint \"uq_user_login\"", "23505");
        RuntimeException failure = new RollbackException(new PersistenceException("flush failed", new RuntimeException(sql)));
        ConflictException e = assertInstanceOf(ConflictException.class, Tx.translate(failure));
        assertEquals("duplicate", e.code());
        assertFalse(e.getMessage().contains("uq_user_login"), "no internals in the message: " + e.getMessage());
    }

    @Test
    void transientConnectionFailureIsDatabaseUnavailable() {
        RuntimeException failure = new PersistenceException(new SQLTransientConnectionException("timeout"));
        UnavailableException e = assertInstanceOf(UnavailableException.class, Tx.translate(failure));
        assertEquals("database_unavailable", e.code());
        assertSame(failure, e.getCause(), "the original failure is kept as the cause for the log");
    }

    @ParameterizedTest
    @ValueSource(strings = {"08001", "08006", "57P01", "57P03"})
    void connectionSqlStatesAreDatabaseUnavailable(String state) {
        RuntimeException failure = new RollbackException(new PersistenceException(new SQLException("gone", state)));
        UnavailableException e = assertInstanceOf(UnavailableException.class, Tx.translate(failure));
        assertEquals("database_unavailable", e.code());
    }

    @Test
    void crmExceptionInsideIsReturnedAsIs() {
        NotFoundException notFound = new NotFoundException("customer", 7);
        assertSame(notFound, Tx.translate(new IllegalStateException(new RollbackException(notFound))));
        ValidationException invalid = new ValidationException("name", "must not be blank");
        assertSame(invalid, Tx.translate(invalid));
    }

    @Test
    void outermostCrmExceptionWins() {
        ConflictException outer = new ConflictException("duplicate", "exists");
        outer.initCause(new SQLException("gone", "08006"));
        assertSame(outer, Tx.translate(outer));
    }

    @Test
    void anythingElseIsReturnedUnchanged() {
        RuntimeException plain = new IllegalStateException("boom");
        assertSame(plain, Tx.translate(plain));
        RuntimeException otherSql = new PersistenceException(new SQLException("syntax error", "42601"));
        assertSame(otherSql, Tx.translate(otherSql));
        RuntimeException noState = new PersistenceException(new SQLException("no state"));
        assertSame(noState, Tx.translate(noState));
    }

    @Test
    void isConnectionFailureRecognisesTypesAndStates() {
        assertTrue(Tx.isConnectionFailure(new SQLTransientConnectionException("x")));
        assertTrue(Tx.isConnectionFailure(new SQLNonTransientConnectionException("x")));
        assertTrue(Tx.isConnectionFailure(new SQLException("x", "08001")));
        assertTrue(Tx.isConnectionFailure(new SQLException("x", "57P01")));
        assertFalse(Tx.isConnectionFailure(new SQLException("x", "23505")));
        assertFalse(Tx.isConnectionFailure(new SQLException("x", "40001")));
        assertFalse(Tx.isConnectionFailure(new SQLException("x")));
    }

    @Test
    void dataExceptionsBecomeValidationErrors() {
        RuntimeException e = new RuntimeException(new SQLException("Zero bytes may not occur in string parameters.", "22023"));
        ValidationException v = assertInstanceOf(ValidationException.class, Tx.translate(e));
        assertEquals("body", v.fields().get(0).field());
    }
}
