package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.CrmException;
import org.groupcrm.core.api.UnavailableException;
import org.groupcrm.core.api.ValidationException;
import org.junit.jupiter.api.Test;

/** {@link Db#translate(SQLException)}: database failures as the API's refusals, never a bare 500 when avoidable. */
class DbTest {

    private static RuntimeException translate(String state) {
        return Db.translate(new SQLException("ERROR: something\n  Detail: more", state));
    }

    @Test
    void anUnreachableDatabaseIsUnavailable() {
        assertInstanceOf(UnavailableException.class, translate("08006"));
        assertInstanceOf(UnavailableException.class, translate("57P01"));
        assertInstanceOf(UnavailableException.class, Db.translate(new SQLTransientConnectionException("pool timeout")));
    }

    @Test
    void constraintsAndConcurrencyAreConflicts() {
        assertEquals("duplicate", ((CrmException) translate("23505")).code());
        assertEquals("constraint_violated", ((CrmException) translate("23503")).code());
        assertEquals("constraint_violated", ((CrmException) translate("23514")).code());
        assertInstanceOf(ConflictException.class, translate("40001"));
        assertInstanceOf(ConflictException.class, translate("40P01"));
    }

    @Test
    void malformedValuesAreBadRequestsWithTheFirstLineOnly() {
        ValidationException e = (ValidationException) translate("22003");
        assertEquals("body", e.fields().get(0).field());
        assertEquals(false, e.getMessage().contains("Detail"));
    }

    @Test
    void anythingElseIsAnInternalError() {
        assertInstanceOf(IllegalStateException.class, translate("XX000"));
        assertInstanceOf(IllegalStateException.class, Db.translate(new SQLException("no state")));
    }
}
