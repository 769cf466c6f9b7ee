package org.groupcrm.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link AuthenticationFilter#basicCredentials(String)}: parsing of the HTTP Basic {@code Authorization} header. */
class AuthenticationFilterTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] parse(String header) {
        Optional<String[]> c = AuthenticationFilter.basicCredentials(header);
        assertTrue(c.isPresent(), "expected credentials from: " + header);
        return c.get();
    }

    @Test
    void validHeader() {
        assertArrayEquals(new String[] {"alice", "s3cret"}, parse("Basic " + b64("alice:s3cret")));
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertArrayEquals(new String[] {"alice", "s3cret"}, parse("basic " + b64("alice:s3cret")));
        assertArrayEquals(new String[] {"alice", "s3cret"}, parse("BASIC " + b64("alice:s3cret")));
    }

    @Test
    void surroundingWhitespaceOfTheTokenIsIgnored() {
        assertArrayEquals(new String[] {"alice", "s3cret"}, parse("Basic   " + b64("alice:s3cret") + "  "));
    }

    @Test
    void passwordMayContainColons() {
        assertArrayEquals(new String[] {"alice", "pa:ss:word"}, parse("Basic " + b64("alice:pa:ss:word")));
    }

    @Test
    void emptyPasswordIsPassedOn() {
        // rejected later by the password check, not by the parser
        assertArrayEquals(new String[] {"alice", ""}, parse("Basic " + b64("alice:")));
    }

    @Test
    void utf8CredentialsAreDecoded() {
        assertArrayEquals(new String[] {"jürgen", "pässwört"}, parse("Basic " + b64("jürgen:pässwört")));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "",
        "Basic",
        "Basic ",
        "Bearer YWxpY2U6czNjcmV0",
        "Digest username=\"alice\"",
        "BasicYWxpY2U6czNjcmV0",
        "Basic !!!not-base64!!!",
        "Basic YWxpY2U6czNjcmV0===",
    })
    void malformedOrForeignHeadersGiveNothing(String header) {
        assertTrue(AuthenticationFilter.basicCredentials(header).isEmpty(), "header: " + header);
    }

    @Test
    void missingColonGivesNothing() {
        assertTrue(AuthenticationFilter.basicCredentials("Basic " + b64("alice")).isEmpty());
    }

    @Test
    void emptyLoginGivesNothing() {
        assertTrue(AuthenticationFilter.basicCredentials("Basic " + b64(":s3cret")).isEmpty());
        assertTrue(AuthenticationFilter.basicCredentials("Basic " + b64(":")).isEmpty());
    }

    @Test
    void controlCharactersInCredentialsAreRejected() {
        assertTrue(AuthenticationFilter.basicCredentials("Basic " + b64("ad\u0000min:secret")).isEmpty());
        assertTrue(AuthenticationFilter.basicCredentials("Basic " + b64("admin:sec\u0000ret")).isEmpty());
    }

    @Test
    void onlyTheCoreHealthPathIsPublic() {
        assertTrue(AuthenticationFilter.isPublic("/api/v1/", "health"));
        assertTrue(AuthenticationFilter.isPublic("/api/v1", "/health"));
        assertFalse(AuthenticationFilter.isPublic("/api/v1/", "openapi.json"));
        assertFalse(AuthenticationFilter.isPublic("/api/v1/", "customers"));
        assertFalse(AuthenticationFilter.isPublic("/api/v1/pipeline/", "health"));
        assertFalse(AuthenticationFilter.isPublic("/api/v1/", "health/x"));
    }
}
