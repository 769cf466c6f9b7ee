package org.groupcrm.core.internal.rest.openapi;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.validation.Valid;
import javax.validation.constraints.Email;
import javax.validation.constraints.Max;
import javax.validation.constraints.Min;
import javax.validation.constraints.NotBlank;
import javax.validation.constraints.NotNull;
import javax.validation.constraints.Pattern;
import javax.validation.constraints.Size;
import javax.ws.rs.BeanParam;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.FormParam;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class OpenApiGeneratorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<Class<?>> RESOURCES = List.of(HealthResource.class, CustomerResource.class,
            CategoryResource.class, ProductResource.class, Legacy.CustomerResource.class);

    private static final String ERROR_DEFAULT = """
            {"description": "Error (400 validation, 401, 403, 404, 409, 503...)",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}""";

    @Test
    void describesDocumentHeaderPathsAndTags() throws Exception {
        JsonNode doc = tree(generate());

        assertEquals("3.0.3", doc.get("openapi").asText());
        assertJson("""
                {"title": "Group CRM", "version": "1.2.3", "description": "The CRM API"}""", doc.get("info"));
        assertJson("""
                [{"url": "/"}]""", doc.get("servers"));
        assertJson("""
                [{"basicAuth": []}]""", doc.get("security"));
        assertJson("""
                {"basicAuth": {"type": "http", "scheme": "basic"}}""", doc.at("/components/securitySchemes"));
        assertJson("""
                [{"name": "Category"}, {"name": "Customer"}, {"name": "Health"}, {"name": "Product"}]""", doc.get("tags"));
        assertEquals(List.of(
                "/api/v1/categories",
                "/api/v1/categories/async",
                "/api/v1/categories/import",
                "/api/v1/categories/{id}",
                "/api/v1/customers",
                "/api/v1/customers/{id}",
                "/api/v1/customers/{id}/export",
                "/api/v1/health",
                "/api/v1/health/details",
                "/api/v1/health/ping",
                "/api/v1/legacy/customers",
                "/api/v1/products",
                "/api/v1/products/{id}"), fieldNames(doc.get("paths")));
        assertEquals(List.of("get", "post"), fieldNames(doc.at("/paths").get("/api/v1/customers")));
        assertEquals(List.of("get", "put", "delete"), fieldNames(doc.at("/paths").get("/api/v1/customers/{id}")));
        assertEquals(List.of("openapi", "info", "servers", "security", "tags", "paths", "components"), fieldNames(doc));
    }

    @Test
    void describesQueryHeaderAndBeanParametersWithGenericPageResult() throws Exception {
        assertJson("""
                {"tags": ["Customer"],
                 "operationId": "CustomerResource_list",
                 "parameters": [
                   {"name": "q", "in": "query", "required": false, "schema": {"type": "string"}},
                   {"name": "status", "in": "query", "required": true,
                    "schema": {"type": "string", "enum": ["ACTIVE", "on-hold", "ARCHIVED"]}},
                   {"name": "page", "in": "query", "required": false,
                    "schema": {"type": "integer", "format": "int32", "default": 0}},
                   {"name": "size", "in": "query", "required": false,
                    "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100, "default": 20}},
                   {"name": "label", "in": "query", "required": false,
                    "schema": {"type": "array", "items": {"type": "string"}}},
                   {"name": "sort", "in": "query", "required": false, "schema": {"type": "string", "default": "name"}},
                   {"name": "X-Subsidiary", "in": "header", "required": false, "schema": {"type": "string"}}
                 ],
                 "responses": {
                   "200": {"description": "OK",
                           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PageCustomerDTO"}}}},
                   "default": %s}}""".formatted(ERROR_DEFAULT), operation("/api/v1/customers", "get"));
    }

    @Test
    void describesCrudOperationsWithPathParametersBodiesAndStatusCodes() throws Exception {
        String idParameter = """
                {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}""";
        String customerBody = """
                {"required": true,
                 "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CustomerDTO"}}}}""";
        String customerOk = """
                {"description": "OK",
                 "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CustomerDTO"}}}}""";

        assertJson("""
                {"tags": ["Customer"], "operationId": "CustomerResource_get", "parameters": [%s],
                 "responses": {"200": %s, "default": %s}}""".formatted(idParameter, customerOk, ERROR_DEFAULT),
                operation("/api/v1/customers/{id}", "get"));
        assertJson("""
                {"tags": ["Customer"], "operationId": "CustomerResource_create", "requestBody": %s,
                 "responses": {"200": %s, "default": %s}}""".formatted(customerBody, customerOk, ERROR_DEFAULT),
                operation("/api/v1/customers", "post"));
        assertJson("""
                {"tags": ["Customer"], "operationId": "CustomerResource_update", "parameters": [%s], "requestBody": %s,
                 "responses": {"200": %s, "default": %s}}""".formatted(idParameter, customerBody, customerOk, ERROR_DEFAULT),
                operation("/api/v1/customers/{id}", "put"));
        assertJson("""
                {"tags": ["Customer"], "operationId": "CustomerResource_delete", "parameters": [%s],
                 "responses": {"204": {"description": "No Content"}, "default": %s}}""".formatted(idParameter, ERROR_DEFAULT),
                operation("/api/v1/customers/{id}", "delete"));
        assertJson("""
                {"tags": ["Customer"], "operationId": "CustomerResource_export",
                 "parameters": [%s, {"name": "session", "in": "cookie", "required": false, "schema": {"type": "string"}}],
                 "responses": {"200": {"description": "OK"}, "default": %s}}""".formatted(idParameter, ERROR_DEFAULT),
                operation("/api/v1/customers/{id}/export", "get"));
    }

    @Test
    void describesCustomMethodsFormsAsyncInheritedAndGenericResourceMethods() throws Exception {
        JsonNode patch = operation("/api/v1/categories/{id}", "patch");
        assertEquals("CategoryResource_patch", patch.get("operationId").asText());
        assertJson("""
                {"required": true,
                 "content": {"application/json": {"schema": {"type": "object", "additionalProperties": true}}}}""",
                patch.get("requestBody"));

        assertJson("""
                {"content": {"application/x-www-form-urlencoded": {"schema": {
                  "type": "object",
                  "properties": {"name": {"type": "string", "minLength": 1}, "parent": {"type": "string"}},
                  "required": ["name"]}}}}""", operation("/api/v1/categories/import", "post").get("requestBody"));
        assertJson("""
                {"200": {"description": "OK"}, "default": %s}""".formatted(ERROR_DEFAULT),
                operation("/api/v1/categories/async", "get").get("responses"));
        assertJson("""
                {"type": "array", "items": {"$ref": "#/components/schemas/CategoryDTO"}}""",
                operation("/api/v1/categories", "get").at("/responses/200/content/application~1json/schema"));

        JsonNode ping = operation("/api/v1/health/ping", "get");
        assertEquals("HealthResource_ping", ping.get("operationId").asText());
        assertJson("""
                {"text/plain": {"schema": {"type": "string"}}}""", ping.at("/responses/200/content"));

        assertJson("""
                {"$ref": "#/components/schemas/ProductDTO"}""",
                operation("/api/v1/products/{id}", "get").at("/responses/200/content/application~1json/schema"));
        assertJson("""
                {"$ref": "#/components/schemas/ProductDTO"}""",
                operation("/api/v1/products", "post").at("/requestBody/content/application~1json/schema"));
    }

    @Test
    void disambiguatesOperationIdsAndComponentNames() throws Exception {
        JsonNode legacy = operation("/api/v1/legacy/customers", "get");
        assertEquals("CustomerResource_get_2", legacy.get("operationId").asText());
        assertJson("""
                {"$ref": "#/components/schemas/CustomerDTO2"}""",
                legacy.at("/responses/200/content/application~1json/schema"));
        assertJson("""
                {"type": "object", "properties": {"legacyId": {"type": "string"}}}""", schema("CustomerDTO2"));
    }

    @Test
    void marksPermitAllOperationsAsUnauthenticatedUnlessRolesAreRequired() throws Exception {
        assertJson("[]", operation("/api/v1/health", "get").get("security"));
        assertJson("[]", operation("/api/v1/health/ping", "get").get("security"));
        assertFalse(operation("/api/v1/health/details", "get").has("security"));
        assertFalse(operation("/api/v1/customers", "get").has("security"));
    }

    @Test
    void describesDtoComponentsWithConstraintsInDeclarationOrder() throws Exception {
        JsonNode customer = schema("CustomerDTO");
        assertEquals(List.of("id", "name", "email", "phone", "birthYear", "status", "address", "labels", "counters",
                "revenue", "createdAt", "since", "externalId", "extra", "notes_text", "vip"),
                fieldNames(customer.get("properties")));
        assertJson("""
                {"type": "object",
                 "properties": {
                   "id": {"type": "integer", "format": "int64"},
                   "name": {"type": "string", "minLength": 1, "maxLength": 200},
                   "email": {"type": "string", "format": "email", "maxLength": 254},
                   "phone": {"type": "string", "pattern": "\\\\+?[0-9 ]{3,40}"},
                   "birthYear": {"type": "integer", "format": "int32", "minimum": 1900, "maximum": 2100},
                   "status": {"type": "string", "enum": ["ACTIVE", "on-hold", "ARCHIVED"]},
                   "address": {"$ref": "#/components/schemas/Address"},
                   "labels": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 10},
                   "counters": {"type": "object", "additionalProperties": {"type": "integer", "format": "int32"}},
                   "revenue": {"type": "number"},
                   "createdAt": {"type": "string", "format": "date-time"},
                   "since": {"type": "string", "format": "date"},
                   "externalId": {"type": "string", "format": "uuid"},
                   "extra": {"type": "object"},
                   "notes_text": {"type": "string"},
                   "vip": {"type": "boolean"}
                 },
                 "required": ["name", "status"]}""", customer);
        assertJson("""
                {"type": "object",
                 "properties": {
                   "street": {"type": "string", "minLength": 1, "maxLength": 200},
                   "zip": {"type": "string", "minLength": 4, "maxLength": 10},
                   "town": {"type": "string"}},
                 "required": ["street"]}""", schema("Address"));
    }

    @Test
    void describesGenericSelfReferencingAndErrorComponents() throws Exception {
        JsonNode doc = tree(generate());
        assertEquals(List.of("Address", "CategoryDTO", "CustomerDTO", "CustomerDTO2", "ErrorResponse", "PageCustomerDTO",
                "ProductDTO"), fieldNames(doc.at("/components/schemas")));
        assertJson("""
                {"type": "object",
                 "properties": {
                   "items": {"type": "array", "items": {"$ref": "#/components/schemas/CustomerDTO"}},
                   "total": {"type": "integer", "format": "int64"},
                   "page": {"type": "integer", "format": "int32"},
                   "size": {"type": "integer", "format": "int32"}}}""", schema("PageCustomerDTO"));
        assertJson("""
                {"type": "object",
                 "properties": {
                   "name": {"type": "string"},
                   "parent": {"$ref": "#/components/schemas/CategoryDTO"},
                   "children": {"type": "array", "items": {"$ref": "#/components/schemas/CategoryDTO"}}}}""",
                schema("CategoryDTO"));
        assertJson("""
                {"type": "object",
                 "properties": {
                   "error": {"type": "string"},
                   "message": {"type": "string"},
                   "fields": {"type": "array", "items": {"type": "object",
                              "properties": {
                                "row": {"type": "integer", "format": "int32", "description":
                                        "for a refused batch: the 1-based data row (a CSV file's header row does not count)"},
                                "field": {"type": "string"}, "reason": {"type": "string"}}}}}}""",
                schema("ErrorResponse"));
    }

    @Test
    void apiOperationDescribesRawBodiesPerMediaTypeAndTheStatusAndEntityOfAResponse() throws Exception {
        JsonNode doc = tree(new OpenApiGenerator("t", "v", null).generate("/api", List.of(ImportResource.class)));
        assertJson("""
                {"tags": ["Import"], "operationId": "ImportResource_upload", "description": "Many at once.",
                 "requestBody": {"required": true, "content": {
                   "text/csv": {"schema": {"type": "string", "description": "a header, then rows"}},
                   "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/CustomerDTO"}}}}},
                 "responses": {
                   "201": {"description": "Created",
                           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CountDTO"}}}},
                   "default": %s}}""".formatted(ERROR_DEFAULT), doc.at("/paths/~1api~1imports/post"));
    }

    /**
     * The customer endpoints live in four classes (the JAX-RS runtime tries only the methods of the class that matched
     * the path); documented under one {@code @ApiName}, their operationIds, tag and paths are those of the single class
     * they came from, so clients generated from the document do not change.
     */
    @Test
    void theSplitCustomerResourcesKeepTheirOperationIdsTagAndPaths() throws Exception {
        JsonNode doc = tree(new OpenApiGenerator("t", "v", null).generate("/api/v1", List.of(
                org.groupcrm.core.internal.rest.CustomerResource.class,
                org.groupcrm.core.internal.rest.CustomerRecordResource.class,
                org.groupcrm.core.internal.rest.CustomerContactResource.class,
                org.groupcrm.core.internal.rest.CustomerActivityResource.class)));
        Map<String, String> ids = new java.util.TreeMap<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            ids.put(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), op.getValue().get("operationId").asText());
            assertEquals("[\"Customer\"]", op.getValue().get("tags").toString(), path.getKey());
        }));
        assertEquals(new java.util.TreeMap<>(Map.ofEntries(
                Map.entry("GET /api/v1/customers", "CustomerResource_search"),
                Map.entry("POST /api/v1/customers", "CustomerResource_create"),
                Map.entry("POST /api/v1/customers/import", "CustomerResource_importCustomers"),
                Map.entry("POST /api/v1/customers/reassign", "CustomerResource_reassign"),
                Map.entry("GET /api/v1/customers/{id}", "CustomerResource_get"),
                Map.entry("PUT /api/v1/customers/{id}", "CustomerResource_update"),
                Map.entry("DELETE /api/v1/customers/{id}", "CustomerResource_archive"),
                Map.entry("GET /api/v1/customers/{id}/owners", "CustomerResource_owners"),
                Map.entry("POST /api/v1/customers/{id}/contacts", "CustomerResource_createContact"),
                Map.entry("GET /api/v1/customers/{id}/contacts", "CustomerResource_listContacts"),
                Map.entry("PUT /api/v1/customers/{id}/contacts/{contactId}", "CustomerResource_updateContact"),
                Map.entry("DELETE /api/v1/customers/{id}/contacts/{contactId}", "CustomerResource_archiveContact"),
                Map.entry("POST /api/v1/customers/{id}/activities", "CustomerResource_createActivity"),
                Map.entry("GET /api/v1/customers/{id}/activities", "CustomerResource_listActivities"))), ids);
        assertEquals("[{\"name\":\"Customer\"}]", doc.get("tags").toString());
        assertEquals("integer", doc.at("/paths/~1api~1v1~1customers~1{id}/get/parameters/0/schema/type").asText(),
                doc.at("/paths/~1api~1v1~1customers~1{id}/get").toString());
    }

    @Test
    void describesTheCoresCustomerImport() throws Exception {
        JsonNode doc = tree(new OpenApiGenerator("t", "v", null).generate("/api/v1",
                List.of(org.groupcrm.core.internal.rest.CustomerResource.class)));
        JsonNode post = doc.at("/paths/~1api~1v1~1customers~1import/post");
        assertEquals(List.of("text/csv", "application/json"), fieldNames(post.at("/requestBody/content")));
        assertEquals("#/components/schemas/CustomerDTO",
                post.at("/requestBody/content/application~1json/schema/items/$ref").asText());
        assertEquals("#/components/schemas/CustomerImportDTO",
                post.at("/responses/201/content/application~1json/schema/$ref").asText());
        assertTrue(post.get("description").asText().contains("all in one transaction"), post.toString());
        assertJson("""
                {"type": "object", "properties": {
                   "created": {"type": "integer", "format": "int32"},
                   "ids": {"type": "array", "items": {"type": "integer", "format": "int64"}}}}""",
                doc.at("/components/schemas/CustomerImportDTO"));
    }

    @Test
    void normalizesPathsAndStripsTemplateRegexes() {
        assertEquals("/api/v1/customers/{id}/notes/{noteId}",
                OpenApiGenerator.path("/api/v1/", "/customers/", "{id: \\d{1,9}}//notes/{ noteId : [a-z/]+ }/"));
        assertEquals("/api/v1/health", OpenApiGenerator.path("api/v1", "health", ""));
        assertEquals("/", OpenApiGenerator.path("", "/", null));
    }

    @Test
    void isDeterministicAndSerializableToJson() throws Exception {
        List<Class<?>> reversed = new ArrayList<>(RESOURCES);
        Collections.reverse(reversed);
        OpenApiGenerator generator = new OpenApiGenerator("Group CRM", "1.2.3", null);

        String first = MAPPER.writeValueAsString(generator.generate("/api/v1", RESOURCES));
        String second = MAPPER.writeValueAsString(generator.generate("/api/v1", reversed));

        assertEquals(first, second);
        assertFalse(MAPPER.readTree(first).get("info").has("description"));
        assertEquals(MAPPER.readTree(MAPPER.writeValueAsString(generate())).get("paths"), MAPPER.readTree(first).get("paths"));
    }

    @Test
    void ignoresNonResourceClassesAndEmptyInput() throws Exception {
        JsonNode doc = tree(new OpenApiGenerator("t", "v", null).generate("/api", List.of(CustomerDTO.class)));
        assertTrue(doc.get("paths").isEmpty());
        assertEquals(List.of("ErrorResponse"), fieldNames(doc.at("/components/schemas")));
        assertTrue(tree(new OpenApiGenerator("t", "v", null).generate("/api", List.of())).get("paths").isEmpty());
    }

    private static Map<String, Object> generate() {
        return new OpenApiGenerator("Group CRM", "1.2.3", "The CRM API").generate("/api/v1/", RESOURCES);
    }

    private static JsonNode tree(Map<String, Object> document) throws Exception {
        return MAPPER.readTree(MAPPER.writeValueAsString(document));
    }

    private static JsonNode operation(String path, String method) throws Exception {
        JsonNode operation = tree(generate()).get("paths").path(path).get(method);
        assertNotNull(operation, method + " " + path);
        return operation;
    }

    private static JsonNode schema(String name) throws Exception {
        return tree(generate()).at("/components/schemas").get(name);
    }

    private static void assertJson(String expected, JsonNode actual) throws Exception {
        assertEquals(MAPPER.readTree(expected), actual);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Retention(RUNTIME)
    @Target({TYPE, METHOD})
    @interface PermitAll {
    }

    @Retention(RUNTIME)
    @Target({TYPE, METHOD})
    @interface RolesAllowed {
        String[] value();
    }

    @Retention(RUNTIME)
    @Target(METHOD)
    @HttpMethod("PATCH")
    @interface MergePatch {
    }

    enum CustomerStatus {
        ACTIVE,
        @JsonProperty("on-hold")
        ON_HOLD,
        ARCHIVED
    }

    public record Page<T>(List<T> items, long total, int page, int size) {
    }

    public record Address(@NotBlank @Size(max = 200) String street, @Size(min = 4, max = 10) String zip,
            @JsonProperty("town") String city) {
    }

    public static class CustomerDTO {
        public static final String CONSTANT = "not a property";
        public Long id;
        @NotBlank
        @Size(max = 200)
        public String name;
        @Email
        @Size(max = 254)
        public String email;
        @Pattern(regexp = "\\+?[0-9 ]{3,40}")
        public String phone;
        @Min(1900)
        @Max(2100)
        public Integer birthYear;
        @NotNull
        public CustomerStatus status;
        public Address address;
        @Size(max = 10)
        public Set<String> labels;
        public Map<String, Integer> counters;
        public BigDecimal revenue;
        public Instant createdAt;
        public LocalDate since;
        public UUID externalId;
        public JsonNode extra;
        @JsonIgnore
        public String internalNote;
        @JsonProperty("notes_text")
        public String notes;
        private boolean vip;

        public boolean isVip() {
            return vip;
        }
    }

    public static class CategoryDTO {
        public String name;
        public CategoryDTO parent;
        public List<CategoryDTO> children;
    }

    public static class ProductDTO {
        public String sku;
        public double price;
    }

    public static class ListParams {
        @QueryParam("sort")
        @DefaultValue("name")
        String sort;
        @HeaderParam("Accept")
        String accept;
    }

    @Path("customers")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    public static class CustomerResource {
        @GET
        public Page<CustomerDTO> list(@QueryParam("q") String query, @QueryParam("status") @NotNull CustomerStatus status,
                @QueryParam("page") @DefaultValue("0") int page,
                @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
                @QueryParam("label") List<String> labels, @BeanParam ListParams params,
                @HeaderParam("X-Subsidiary") String subsidiary, @Context SecurityContext security) {
            return null;
        }

        @GET
        @Path("{id: \\d+}")
        public CustomerDTO get(@PathParam("id") long id) {
            return null;
        }

        @POST
        public CustomerDTO create(@Valid CustomerDTO customer) {
            return null;
        }

        @PUT
        @Path("/{id}/")
        public CustomerDTO update(@PathParam("id") long id, CustomerDTO customer) {
            return null;
        }

        @DELETE
        @Path("{id}")
        public void delete(@PathParam("id") long id) {
        }

        @GET
        @Path("{id}/export")
        @Produces("text/csv")
        public Response export(@PathParam("id") long id, @CookieParam("session") String session) {
            return null;
        }

        @Path("{id}/contacts")
        public Object contacts(@PathParam("id") long id) {
            return null;
        }

        public void helper() {
        }
    }

    @Path("/categories/")
    public static class CategoryResource {
        @GET
        public List<CategoryDTO> all() {
            return null;
        }

        @MergePatch
        @Path("{id}")
        public CategoryDTO patch(@PathParam("id") String id, Map<String, Object> changes) {
            return null;
        }

        @POST
        @Path("import")
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        public Response importForm(@FormParam("name") @NotBlank String name, @FormParam("parent") String parent) {
            return null;
        }

        @GET
        @Path("async")
        public void async(@Suspended AsyncResponse response) {
        }
    }

    public abstract static class CrudResource<T> {
        @GET
        @Path("{id}")
        public T find(@PathParam("id") String id) {
            return null;
        }

        @POST
        public T create(T entity) {
            return null;
        }
    }

    @Path("products")
    public static class ProductResource extends CrudResource<ProductDTO> {
    }

    public interface Pingable {
        @GET
        @Path("ping")
        @Produces(MediaType.TEXT_PLAIN)
        String ping();
    }

    @Path("health")
    @PermitAll
    public static class HealthResource implements Pingable {
        @Override
        public String ping() {
            return "pong";
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String health() {
            return "UP";
        }

        @GET
        @Path("details")
        @RolesAllowed("admin")
        public Map<String, Object> details() {
            return null;
        }
    }

    public static class CountDTO {
        public int count;
    }

    @Path("imports")
    public static class ImportResource {
        @POST
        @Consumes("*/*")
        @ApiOperation(description = "Many at once.", status = 201, response = CountDTO.class, bodies = {
            @ApiOperation.Body(mediaType = "text/csv", type = String.class, description = "a header, then rows"),
            @ApiOperation.Body(mediaType = "application/json", type = CustomerDTO[].class)})
        public Response upload(java.io.InputStream body) {
            return null;
        }
    }

    static final class Legacy {
        public static class CustomerDTO {
            public String legacyId;
        }

        @Path("legacy/customers")
        public static class CustomerResource {
            @GET
            public CustomerDTO get() {
                return null;
            }
        }
    }
}
