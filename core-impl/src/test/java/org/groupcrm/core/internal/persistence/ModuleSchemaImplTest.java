package org.groupcrm.core.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ModuleSchemaImpl#check(String)}: where a module's changelog may live. */
class ModuleSchemaImplTest {

    @Test
    void aModulesOwnFolderIsAccepted() {
        ModuleSchemaImpl.check("crm/pipeline/changelog.sql");
        ModuleSchemaImpl.check("crm/memo/db/changelog-2.xml");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"crm/core/changelog.sql", "changelog.sql", "crm/changelog.sql", "crm/Memo/changelog.sql",
            "crm/memo/../core/changelog.sql", "/crm/memo/changelog.sql", "crm/memo/changelog.txt"})
    void anythingElseIsRefused(String path) {
        assertThrows(IllegalArgumentException.class, () -> ModuleSchemaImpl.check(path));
    }
}
