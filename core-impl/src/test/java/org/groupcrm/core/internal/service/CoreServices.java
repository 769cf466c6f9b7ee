package org.groupcrm.core.internal.service;

import java.lang.annotation.Annotation;
import java.sql.SQLException;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.internal.module.ModuleRegistry;
import org.groupcrm.core.internal.persistence.TestDatabase;

/** The record services (customers, contacts, activities, approvals) wired as DS wires them, on a {@link TestDatabase}, with helpers to create subsidiaries and users. */
public final class CoreServices {
    private final TestDatabase db;
    private final SubsidiaryServiceImpl subsidiaries = new SubsidiaryServiceImpl();
    private final CustomerServiceImpl customers = new CustomerServiceImpl();
    private final CustomerImport imports = new CustomerImport();
    private final RightsServiceImpl rights = new RightsServiceImpl();
    private final ModuleRegistry modules = new ModuleRegistry();
    private final ContactServiceImpl contacts = new ContactServiceImpl();
    private final ActivityServiceImpl activities = new ActivityServiceImpl();
    private final ApprovalServiceImpl approvals = new ApprovalServiceImpl();

    public CoreServices(TestDatabase db) {
        this.db = db;
        InputValidator validator = new InputValidator();
        subsidiaries.tx = db.tx();
        subsidiaries.validator = validator;
        rights.tx = db.tx();
        rights.subsidiaries = subsidiaries;
        rights.modules = modules;
        customers.rights = rights;
        customers.tx = db.tx();
        customers.validator = validator;
        customers.subsidiaries = subsidiaries;
        configure(10_000, "phone");
        imports.rights = rights;
        imports.tx = db.tx();
        imports.validator = validator;
        imports.subsidiaries = subsidiaries;
        imports.customers = customers;
        contacts.rights = rights;
        contacts.tx = db.tx();
        contacts.validator = validator;
        contacts.subsidiaries = subsidiaries;
        activities.rights = rights;
        activities.tx = db.tx();
        activities.validator = validator;
        activities.subsidiaries = subsidiaries;
        approvals.tx = db.tx();
        approvals.validator = validator;
        approvals.subsidiaries = subsidiaries;
    }

    public SubsidiaryServiceImpl subsidiaries() {
        return subsidiaries;
    }

    public ContactServiceImpl contacts() {
        return contacts;
    }

    public ActivityServiceImpl activities() {
        return activities;
    }

    public ApprovalServiceImpl approvals() {
        return approvals;
    }

    /** As a change of {@code etc/org.groupcrm.customers.cfg} would. */
    public void configure(int importMaxRows, String... uniqueKeys) {
        customers.configure(new CustomerServiceImpl.Settings() {
            @Override
            public String[] uniqueKeys() {
                return uniqueKeys;
            }

            @Override
            public int importMaxRows() {
                return importMaxRows;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return CustomerServiceImpl.Settings.class;
            }
        });
    }

    public CustomerServiceImpl customers() {
        return customers;
    }

    public RightsServiceImpl rights() {
        return rights;
    }

    /** The registry the rights read installed modules' resource types from. */
    public ModuleRegistry modules() {
        return modules;
    }

    public CustomerImport imports() {
        return imports;
    }

    /** @return the id of a new subsidiary */
    public long subsidiary(String code) throws SQLException {
        return ((Number) db.scalar("INSERT INTO crm_subsidiary (code, name) VALUES (?, ?) RETURNING id", code,
                code + " Ltd")).longValue();
    }

    /** @return a caller acting in {@code code} as a new user whose home subsidiary it is */
    public CallerContext user(String login, String code) throws SQLException {
        return user(login, code, "user");
    }

    /** A user of subsidiary {@code code} in position {@code role}, acting there. */
    public CallerContext user(String login, String code, String role) throws SQLException {
        long id = ((Number) db.scalar("INSERT INTO crm_user (login, display_name, password_hash, home_subsidiary_id)"
                + " SELECT ?, ?, 'x', id FROM crm_subsidiary WHERE code = ? RETURNING id", login, login, code)).longValue();
        db.execute("INSERT INTO crm_user_role (user_id, role) VALUES (" + id + ", '" + role.replace("'", "") + "')");
        return new CallerContext(id, login, code, Set.of(role));
    }
}
