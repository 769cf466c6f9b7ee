package org.groupcrm.core.internal.rest;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.CrmException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.UnavailableException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.internal.service.RowError;
import org.groupcrm.core.internal.service.TooManyRowsException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/** The exception mappers that turn every failure into the one {@link ErrorBody} shape, without stack traces. */
public final class ErrorMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);
    private static final String APPS = "(|" + CrmApplication.SELECT + "(crm.module=*))";

    private ErrorMappers() {
    }

    static Response respond(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    /** CRM service refusals: 400, 403, 404, 409, 413, 503 by type. */
    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(APPS)
    public static class CrmErrors implements ExceptionMapper<CrmException> {
        @Override
        public Response toResponse(CrmException e) {
            ErrorBody body = e instanceof RowError.Report r ? ErrorBody.ofRows(e.code(), e.getMessage(), r.rows())
                    : ErrorBody.of(e.code(), e.getMessage(), e instanceof ValidationException v ? v.fields() : null);
            Response response = respond(status(e), body);
            if (e instanceof UnavailableException) {
                LOG.warn("Answering 503: {}", e.getMessage(), e.getCause());
                return Response.fromResponse(response).header("Retry-After", "5").build();
            }
            return response;
        }

        static int status(CrmException e) {
            if (e instanceof TooManyRowsException) {
                return 413;
            } else if (e instanceof NotFoundException) {
                return 404;
            } else if (e instanceof ConflictException) {
                return 409;
            } else if (e instanceof ForbiddenException) {
                return 403;
            } else if (e instanceof UnavailableException) {
                return 503;
            }
            return 400;
        }
    }

    /** Unreadable JSON: 400 naming the field (or the body) and the reason. */
    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(APPS)
    public static class JsonErrors implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            return respond(400, ErrorBody.of("validation_failed", "the request body could not be read", List.of(describe(e))));
        }

        static FieldError describe(JsonProcessingException e) {
            if (e instanceof JsonParseException) {
                return new FieldError("body", "malformed JSON: " + e.getOriginalMessage());
            }
            if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
                return new FieldError("body", "must be a JSON object of the expected shape");
            }
            String field = path(m.getPath());
            if (e instanceof UnrecognizedPropertyException) {
                return new FieldError(field, "unknown field");
            }
            if (e instanceof InvalidFormatException f) {
                String type = f.getTargetType() == null ? "the expected type" : f.getTargetType().getSimpleName();
                if (f.getTargetType() != null && f.getTargetType().isEnum()) {
                    type = "one of " + List.of(f.getTargetType().getEnumConstants());
                }
                return new FieldError(field, "cannot read '" + f.getValue() + "' as " + type);
            }
            return new FieldError(field, "has the wrong type or shape");
        }

        static String path(List<JsonMappingException.Reference> refs) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference r : refs) {
                if (r.getFieldName() != null) {
                    if (sb.length() > 0) {
                        sb.append('.');
                    }
                    sb.append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            return sb.length() == 0 ? "body" : sb.toString();
        }
    }

    /**
     * JAX-RS's own errors (unknown path, wrong method or media type...): their status with our body; one raised with
     * our body already (e.g. {@link BodyLimit}'s 413 while a body streams) keeps it.
     */
    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(APPS)
    public static class HttpErrors implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            int status = original == null ? 500 : original.getStatus();
            Response.Status known = Response.Status.fromStatusCode(status);
            String code = known == null ? "http_" + status : known.name().toLowerCase(Locale.ROOT);
            String message = switch (status) {
                case 404 -> "no such resource";
                case 405 -> "method not allowed on this resource";
                case 415 -> "unsupported media type: send application/json";
                case 406 -> "cannot produce the requested media type: accept application/json";
                default -> known == null ? "HTTP " + status : known.getReasonPhrase();
            };
            ErrorBody body = original != null && original.getEntity() instanceof ErrorBody own ? own : ErrorBody.of(code, message);
            Response.ResponseBuilder rb = Response.fromResponse(respond(status, body));
            if (original != null) {
                original.getHeaders().forEach((name, values) -> {
                    if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                        values.forEach(v -> rb.header(name, v));
                    }
                });
            }
            return rb.type(MediaType.APPLICATION_JSON_TYPE).build();
        }
    }

    /** Anything else: 500 with an incident id that is also in the log, never the exception's details. */
    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(APPS)
    public static class UnexpectedErrors implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("Unexpected error, incident {}", incident, e);
            return respond(500, ErrorBody.of("internal_error", "unexpected error; incident " + incident));
        }
    }
}
