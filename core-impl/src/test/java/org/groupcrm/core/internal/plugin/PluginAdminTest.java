package org.groupcrm.core.internal.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.groupcrm.core.api.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PluginAdmin#checkName(String)}: only plugin features can be installed or removed through the CRM. */
class PluginAdminTest {

    @Test
    void pluginFeaturesAreAccepted() {
        PluginAdmin.checkName("crm-plugin-pipeline");
        PluginAdmin.checkName("crm-plugin-a2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"crm-core", "crm", "crm-plugin-", "crm-plugin-Pipeline", "crm-plugin-x/1.0", "scr", " crm-plugin-x"})
    void otherFeaturesAreRefusedNamingTheField(String name) {
        ValidationException e = assertThrows(ValidationException.class, () -> PluginAdmin.checkName(name));
        assertEquals("feature", e.fields().get(0).field());
    }

    @Test
    void noNameIsRefused() {
        assertThrows(ValidationException.class, () -> PluginAdmin.checkName(null));
    }
}
