package org.groupcrm.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/** {@link BodyLimit}: request bodies over the cap are refused with 413, declared or streamed. */
class BodyLimitTest {

    private static ContainerRequestContext request(String contentLength, AtomicReference<Response> aborted,
            AtomicReference<InputStream> stream) {
        return (ContainerRequestContext) Proxy.newProxyInstance(BodyLimitTest.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class}, (p, m, a) -> switch (m.getName()) {
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
    void aBodyWithinTheCapIsReadWhole() throws Exception {
        AtomicReference<Response> aborted = new AtomicReference<>();
        AtomicReference<InputStream> stream = new AtomicReference<>(new ByteArrayInputStream(new byte[1000]));
        new BodyLimit().filter(request("1000", aborted, stream));
        assertNull(aborted.get());
        assertEquals(1000, stream.get().readAllBytes().length);
    }
}
