package org.groupcrm.itests.memo.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.UnavailableException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.customer.CustomerService;

/** {@code /api/v1/memo}: memos on the caller's subsidiary's customers. */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public class MemoResource {
    private final MemoModule module;
    private final CustomerService customers;

    MemoResource(MemoModule module, CustomerService customers) {
        this.module = module;
        this.customers = customers;
    }

    /** The module's version, its applied change sets and whether the caller's subsidiary was provisioned. */
    @GET
    @Path("info")
    public Map<String, Object> info(@Context SecurityContext sc) {
        CallerContext caller = CallerContext.of(sc.getUserPrincipal());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("module", module.id());
        info.put("version", module.version());
        List<String> changeSets = new ArrayList<>();
        boolean provisioned;
        try (Connection c = module.dataSource().getConnection()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM databasechangelog"
                    + " WHERE filename = '" + MemoModule.CHANGELOG + "' ORDER BY orderexecuted")) {
                while (rs.next()) {
                    changeSets.add(rs.getString(1));
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM crm_memo_provisioned WHERE subsidiary = ?")) {
                p.setString(1, caller.subsidiary());
                try (ResultSet rs = p.executeQuery()) {
                    provisioned = rs.next();
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        info.put("changeSets", changeSets);
        info.put("provisioned", provisioned);
        return info;
    }

    /** Adds a memo to a customer of the caller's subsidiary. */
    @POST
    @Path("memos")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@Context SecurityContext sc, Map<String, Object> body) {
        CallerContext caller = CallerContext.of(sc.getUserPrincipal());
        String subsidiary = caller.requireSubsidiary();
        Object customer = body == null ? null : body.get("customerId");
        Object text = body == null ? null : body.get("text");
        if (!(customer instanceof Number n)) {
            throw new ValidationException("customerId", "must be the id of a customer");
        }
        if (!(text instanceof String t) || t.isBlank() || t.length() > 2000) {
            throw new ValidationException("text", "must be 1 to 2000 characters");
        }
        long customerId = n.longValue();
        customers.get(caller, customerId); // 404 unless the customer is the caller subsidiary's
        try (Connection c = module.dataSource().getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO crm_memo (subsidiary, customer_id, text, created_by) VALUES (?, ?, ?, ?) RETURNING id")) {
            p.setString(1, subsidiary);
            p.setLong(2, customerId);
            p.setString(3, t);
            p.setString(4, caller.login());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                Map<String, Object> memo = new LinkedHashMap<>();
                memo.put("id", rs.getLong(1));
                memo.put("customerId", customerId);
                memo.put("text", t);
                return Response.status(201).entity(memo).build();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The memos of a customer of the caller's subsidiary, oldest first. */
    @GET
    @Path("memos")
    public List<Map<String, Object>> list(@Context SecurityContext sc, @QueryParam("customer") String customer) {
        CallerContext caller = CallerContext.of(sc.getUserPrincipal());
        String subsidiary = caller.requireSubsidiary();
        long customerId;
        try {
            customerId = Long.parseLong(customer == null ? "" : customer.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException("customer", "must be the id of a customer");
        }
        customers.get(caller, customerId);
        List<Map<String, Object>> memos = new ArrayList<>();
        try (Connection c = module.dataSource().getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT id, text, created_by FROM crm_memo WHERE subsidiary = ? AND customer_id = ? ORDER BY id")) {
            p.setString(1, subsidiary);
            p.setLong(2, customerId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> memo = new LinkedHashMap<>();
                    memo.put("id", rs.getLong(1));
                    memo.put("customerId", customerId);
                    memo.put("text", rs.getString(2));
                    memo.put("createdBy", rs.getString(3));
                    memos.add(memo);
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return memos;
    }

    /** Answers after {@code ms} milliseconds (at most 10 s): a request still in flight when the plugin goes. */
    @GET
    @Path("slow")
    public Map<String, Object> slow(@QueryParam("ms") String ms) throws InterruptedException {
        long wait = Math.min(10_000, Math.max(0, ms == null ? 1000 : Long.parseLong(ms)));
        Thread.sleep(wait);
        return Map.of("waited", wait);
    }

    private static UnavailableException unavailable(SQLException e) {
        return new UnavailableException("database_unavailable", "the database cannot be reached; retry later", e);
    }
}
