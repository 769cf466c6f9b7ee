package org.groupcrm.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A small JSON-over-HTTP client for the CRM API, with optional Basic credentials and subsidiary header. */
public final class RestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private String authorization;
    private String subsidiary;

    public RestClient(String base) {
        this.base = base;
    }

    public RestClient as(String login, String password) {
        RestClient c = copy();
        c.authorization = "Basic " + Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
        return c;
    }

    public RestClient rawAuthorization(String header) {
        RestClient c = copy();
        c.authorization = header;
        return c;
    }

    public RestClient in(String subsidiaryCode) {
        RestClient c = copy();
        c.subsidiary = subsidiaryCode;
        return c;
    }

    private RestClient copy() {
        RestClient c = new RestClient(base);
        c.authorization = authorization;
        c.subsidiary = subsidiary;
        return c;
    }

    public Response get(String path) {
        return call("GET", path, null);
    }

    public Response delete(String path) {
        return call("DELETE", path, null);
    }

    public Response post(String path, Object body) {
        return call("POST", path, body);
    }

    public Response put(String path, Object body) {
        return call("PUT", path, body);
    }

    /** Sends {@code body} (a String is sent verbatim, anything else as JSON). */
    public Response call(String method, String path, Object body) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(base + path).openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(5000);
            c.setReadTimeout(30000);
            c.setRequestProperty("Accept", "application/json");
            if (authorization != null) {
                c.setRequestProperty("Authorization", authorization);
            }
            if (subsidiary != null) {
                c.setRequestProperty("X-Subsidiary", subsidiary);
            }
            if (body != null) {
                byte[] bytes = (body instanceof String s ? s : JSON.writeValueAsString(body)).getBytes(StandardCharsets.UTF_8);
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            c.getHeaderFields().forEach((k, v) -> {
                if (k != null && !v.isEmpty()) {
                    headers.put(k.toLowerCase(), v.get(0));
                }
            });
            return new Response(status, text, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
    }

    /** A received response. */
    public record Response(int status, String text, Map<String, String> headers) {
        public JsonNode json() {
            try {
                return text.isEmpty() ? MissingNode.getInstance() : JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    /** Builds a JSON object from alternating keys and values. */
    public static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
