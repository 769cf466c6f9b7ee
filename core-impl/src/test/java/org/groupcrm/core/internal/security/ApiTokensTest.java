package org.groupcrm.core.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ApiTokens}: the token format and its stored form. */
class ApiTokensTest {

    @Test
    void tokensHaveAPublicPrefixAndA256BitSecret() {
        assertTrue(ApiTokens.FORMAT.matcher("crm_AbC123dEf456_" + "a".repeat(43)).matches());
        assertFalse(ApiTokens.FORMAT.matcher("crm_short_" + "a".repeat(43)).matches());
        assertFalse(ApiTokens.FORMAT.matcher("crm_AbC123dEf456_" + "a".repeat(42)).matches());
        assertFalse(ApiTokens.FORMAT.matcher("Basic abc").matches());
    }

    @Test
    void onlyTheSha256OfTheSecretIsStored() {
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", ApiTokens.sha256("hello"));
        assertEquals(64, ApiTokens.sha256("x").length());
    }
}
