package org.groupcrm.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

/** {@link BodyLimit}: request bodies over the cap are refused with 413, declared or streamed. */
class BodyLimitTest {

    private static ContainerRequestContext request(String contentLength, AtomicReference<Response> aborted,
            AtomicReference<InputStream> stream) {
        return request("GET", null, null, contentLength, aborted, stream);
    }

    /** A request to {@code path} (relative to the application) of the application at {@code base}. */
    private static ContainerRequestContext request(String method, String base, String path, String contentLength,
            AtomicReference<Response> aborted, AtomicReference<InputStream> stream) {
        UriInfo uri = base == null ? null : (UriInfo) Proxy.newProxyInstance(BodyLimitTest.class.getClassLoader(),
                new Class<?>[] {UriInfo.class}, (p, m, a) -> switch (m.getName()) {
                    case "getPath" -> path;
                    case "getBaseUri" -> URI.create("http://127.0.0.1:8181" + base);
                    default -> null;
                });
        return (ContainerRequestContext) Proxy.newProxyInstance(BodyLimitTest.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getUriInfo" -> uri;
                    case "getHeaderString" -> contentLength;
                    case "abortWith" -> {
                        aborted.set((Response) a[0]);
                        yield null;
                    }
                    case "hasEntity" -> stream.get() != null;
                    case "getEntityStream" -> stream.get();
                    case "setEntityStream" -> {
                        stream.set((InputStream) a[0]);
                        yield null;
                    }
                    default -> null;
                });
    }

    @Test
    void aDeclaredLengthOverTheCapIsRefusedAtOnce() {
        AtomicReference<Response> aborted = new AtomicReference<>();
        new BodyLimit().filter(request(String.valueOf(BodyLimit.MAX_BYTES + 1), aborted, new AtomicReference<>()));
        assertEquals(413, aborted.get().getStatus());
        assertEquals("payload_too_large", ((ErrorBody) aborted.get().getEntity()).error());
    }

    @Test
    void aMalformedLengthIsABadRequest() {
        AtomicReference<Response> aborted = new AtomicReference<>();
        new BodyLimit().filter(request("lots", aborted, new AtomicReference<>()));
        assertEquals(400, aborted.get().getStatus());
    }

    @Test
    void aStreamedBodyStopsAtTheCap() throws Exception {
        AtomicReference<Response> aborted = new AtomicReference<>();
        AtomicReference<InputStream> stream = new AtomicReference<>(
                new ByteArrayInputStream(new byte[(int) BodyLimit.MAX_BYTES + 10]));
        new BodyLimit().filter(request(null, aborted, stream));
        assertNull(aborted.get());
        InputStream capped = stream.get();
        WebApplicationException e = assertThrows(WebApplicationException.class, () -> capped.readAllBytes());
        assertEquals(413, e.getResponse().getStatus());
    }

    @Test
    void theCoresCustomerImportHasItsOwnLargerCap() {
        assertEquals(16 * 1024 * 1024, BodyLimit.IMPORT_MAX_BYTES);
        AtomicReference<Response> aborted = new AtomicReference<>();
        String over1MiB = String.valueOf(BodyLimit.MAX_BYTES + 1);
        for (String path : List.of("customers/import", "/customers/import", "customers/import/")) {
            new BodyLimit().filter(request("POST", "/api/v1/", path, over1MiB, aborted, new AtomicReference<>()));
            assertNull(aborted.get(), path);
        }
        new BodyLimit().filter(request("POST", "/api/v1/", "customers/import",
                String.valueOf(BodyLimit.IMPORT_MAX_BYTES + 1), aborted, new AtomicReference<>()));
        assertEquals(413, aborted.get().getStatus());
        assertEquals("the request body is larger than 16777216 bytes", ((ErrorBody) aborted.get().getEntity()).message());
    }

    @Test
    void everythingElseKeepsTheDefaultCap() {
        String over1MiB = String.valueOf(BodyLimit.MAX_BYTES + 1);
        List<String[]> others = List.of(new String[] {"POST", "/api/v1/", "customers"},
                new String[] {"PUT", "/api/v1/", "customers/import"},
                new String[] {"POST", "/api/v1/pipeline/", "customers/import"},
                new String[] {"POST", "/api/v1/", "customers/import/x"});
        for (String[] o : others) {
            AtomicReference<Response> aborted = new AtomicReference<>();
            new BodyLimit().filter(request(o[0], o[1], o[2], over1MiB, aborted, new AtomicReference<>()));
            assertEquals(413, aborted.get().getStatus(), String.join(" ", o));
        }
    }

    @Test
    void anImportStreamedWithoutALengthStopsAtItsCap() {
        AtomicReference<InputStream> stream = new AtomicReference<>(
                new ByteArrayInputStream(new byte[(int) BodyLimit.IMPORT_MAX_BYTES + 10]));
        new BodyLimit().filter(request("POST", "/api/v1/", "customers/import", null, new AtomicReference<>(), stream));
        WebApplicationException e = assertThrows(WebApplicationException.class, () -> stream.get().readAllBytes());
        assertEquals(413, e.getResponse().getStatus());
    }

    @Test
    void aBodyWithinTheCapIsReadWhole() throws Exception {
        AtomicReference<Response> aborted = new AtomicReference<>();
        AtomicReference<InputStream> stream = new AtomicReference<>(new ByteArrayInputStream(new byte[1000]));
        new BodyLimit().filter(request("1000", aborted, stream));
        assertNull(aborted.get());
        assertEquals(1000, stream.get().readAllBytes().length);
    }
}
