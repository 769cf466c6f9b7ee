package org.groupcrm.core.internal.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.annotation.Priority;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.Priorities;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * Caps request bodies at {@value #MAX_BYTES} bytes in the core's and every module's application, and those of the
 * core's customer import ({@code POST customers/import}, up to 10,000 customers a request by default) at
 * {@value #IMPORT_MAX_BYTES}: a declared {@code Content-Length} above the cap is refused at once, and a body sent
 * without one (chunked) stops being read when it passes the cap; either way the answer is
 * {@code 413 {"error":"payload_too_large"}} and nothing is written.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName(BodyLimit.NAME)
@JaxrsApplicationSelect("(|" + CrmApplication.SELECT + "(crm.module=*))")
@Priority(Priorities.AUTHENTICATION - 100)
@PreMatching
public class BodyLimit implements ContainerRequestFilter {
    public static final String NAME = "crm-body-limit";
    static final long MAX_BYTES = 1024 * 1024;
    /** 16 MiB: 10,000 customers of 1.6 KB each, far more than their usual 100-200 bytes as CSV or JSON. */
    static final long IMPORT_MAX_BYTES = 16 * 1024 * 1024;
    static final String IMPORT_PATH = "customers/import";

    @Override
    public void filter(ContainerRequestContext request) {
        long max = cap(request);
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > max) {
                    request.abortWith(tooLarge(max));
                    return;
                }
            } catch (NumberFormatException e) {
                request.abortWith(Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(ErrorBody.of("bad_request", "Content-Length is not a number")).build());
                return;
            }
        }
        if (request.hasEntity()) {
            request.setEntityStream(new Capped(request.getEntityStream(), max));
        }
    }

    /** @return the cap of this request: the import's for a POST to the core's {@code customers/import}, else the default */
    static long cap(ContainerRequestContext request) {
        UriInfo uri = request.getUriInfo();
        if (uri == null || !HttpMethod.POST.equals(request.getMethod())) {
            return MAX_BYTES;
        }
        String path = uri.getPath();
        String base = uri.getBaseUri() == null ? "" : uri.getBaseUri().getPath();
        boolean core = base.endsWith("/" + CrmApplication.BASE) || base.endsWith("/" + CrmApplication.BASE + "/");
        boolean imports = path != null && stripSlashes(path).equals(IMPORT_PATH);
        return core && imports ? IMPORT_MAX_BYTES : MAX_BYTES;
    }

    private static String stripSlashes(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') {
            from++;
        }
        while (to > from && path.charAt(to - 1) == '/') {
            to--;
        }
        return path.substring(from, to);
    }

    static Response tooLarge(long max) {
        return Response.status(413).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of("payload_too_large",
                "the request body is larger than " + max + " bytes")).build();
    }

    /** A stream that fails with 413 once more than {@code max} bytes were read from it. */
    static final class Capped extends FilterInputStream {
        private final long max;
        private long read;

        Capped(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > max) {
                throw new WebApplicationException(tooLarge(max));
            }
        }
    }
}
