package org.groupcrm.core.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
    /** Small iteration count: the tests check the format and the logic, not the cost. */
    private final PasswordHasher hasher = new PasswordHasher(1000);

    @Test
    void hashHasTheDocumentedFormat() {
        String stored = hasher.hash("correct horse");
        String[] parts = stored.split("\\$", -1);
        assertEquals(4, parts.length, stored);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("1000", parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length, "salt bytes");
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length, "hash bytes (256 bits)");
        assertFalse(stored.contains("="), "Base64 without padding: " + stored);
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        String stored = hasher.hash("correct horse");
        assertTrue(hasher.verify("correct horse", stored));
        assertFalse(hasher.verify("correct horsE", stored));
        assertFalse(hasher.verify("", stored));
        assertFalse(hasher.verify("correct horse ", stored));
    }

    @Test
    void nonAsciiPasswordsRoundTrip() {
        String stored = hasher.hash("pässwörd-日本");
        assertTrue(hasher.verify("pässwörd-日本", stored));
        assertFalse(hasher.verify("passwoerd-日本", stored));
    }

    @Test
    void samePasswordGetsDifferentSalts() {
        String a = hasher.hash("same password");
        String b = hasher.hash("same password");
        assertNotEquals(a, b);
        assertNotEquals(a.split("\\$")[2], b.split("\\$")[2], "salts");
        assertTrue(hasher.verify("same password", a));
        assertTrue(hasher.verify("same password", b));
    }

    @Test
    void nullPasswordOrStoredValueIsFalse() {
        String stored = hasher.hash("x");
        assertFalse(hasher.verify(null, stored));
        assertFalse(hasher.verify("x", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "garbage",
        "pbkdf2-sha256",
        "pbkdf2-sha256$1000$c2FsdA",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA$extra",
        "bcrypt$1000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$many$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$0$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$-5$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$99999999999$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$1000$!!not base64!!$aGFzaA",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$!!not base64!!",
        "pbkdf2-sha256$1000$$aGFzaA",
    })
    void malformedStoredValuesAreFalseNotExceptions(String stored) {
        assertFalse(hasher.verify("password", stored));
    }

    @Test
    void tamperedHashIsFalse() {
        String stored = hasher.hash("secret");
        String[] p = stored.split("\\$");
        byte[] hash = Base64.getDecoder().decode(p[3]);
        hash[0] ^= 1;
        String tampered = p[0] + "$" + p[1] + "$" + p[2] + "$" + Base64.getEncoder().withoutPadding().encodeToString(hash);
        assertFalse(hasher.verify("secret", tampered));
    }

    @Test
    void iterationCountIsTakenFromTheStoredValue() {
        String stored = new PasswordHasher(1000).hash("secret");
        // a hasher with the (much higher) default still verifies it, using the stored 1000 rounds
        assertTrue(new PasswordHasher().verify("secret", stored));
        // and the stored count really is used: the same salt and hash with another count no longer match
        assertFalse(hasher.verify("secret", stored.replaceFirst("\\$1000\\$", "\\$1001\\$")));
    }

    @Test
    void defaultHasherUsesTheDefaultIterations() {
        assertEquals(310_000, PasswordHasher.DEFAULT_ITERATIONS);
        String stored = new PasswordHasher().hash("secret");
        assertEquals(String.valueOf(PasswordHasher.DEFAULT_ITERATIONS), stored.split("\\$")[1]);
    }

    @Test
    void iterationsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(0));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(-1));
    }

    @Test
    void aStoredHashWithTrailingGarbageIsMalformed() {
        String stored = hasher.hash("secret");
        assertTrue(hasher.verify("secret", stored));
        assertFalse(hasher.verify("secret", stored + "$"));
        assertFalse(hasher.verify("secret", stored + "$$"));
    }
}
