package org.groupcrm.core.internal.service;

import java.time.Clock;
import java.time.Instant;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.persistence.TypedQuery;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.customer.CustomerQuery;
import org.groupcrm.core.api.customer.CustomerService;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.internal.persistence.CustomerEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.Tx;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Customers of the caller's subsidiary. */
@Component(service = CustomerService.class)
public class CustomerServiceImpl implements CustomerService {
    private final Clock clock = DbClock.UTC;

    @Reference
    Tx tx;

    @Reference
    InputValidator validator;

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    @Override
    public CustomerDTO create(CallerContext caller, CustomerDTO input) {
        String code = caller.requireSubsidiary();
        long sid = subsidiaries.idOf(code);
        validator.validate(input, ageErrors(input));
        return tx.run((em, events) -> {
            CustomerEntity c = new CustomerEntity();
            c.subsidiaryId = sid;
            copyWritable(input, c);
            c.enteredBy = Records.caller(em, caller);
            c.owner = input.owner == null ? c.enteredBy : Records.activeUserIn(em, input.owner, code, "owner");
            Instant now = clock.instant();
            c.created(now);
            em.persist(c);
            em.flush();
            events.add(CrmTopics.CUSTOMER_CREATED, Records.event(caller, "customer", c.id, c.id, c.owner.login, c.version));
            return Mapper.customer(c, code);
        });
    }

    @Override
    public CustomerDTO get(CallerContext caller, long id) {
        String code = caller.requireSubsidiary();
        long sid = subsidiaries.idOf(code);
        return tx.run((em, events) -> Mapper.customer(Records.customer(em, sid, id), code));
    }

    @Override
    public CustomerDTO update(CallerContext caller, long id, CustomerDTO input) {
        String code = caller.requireSubsidiary();
        long sid = subsidiaries.idOf(code);
        validator.validate(input, ageErrors(input));
        return tx.run((em, events) -> {
            CustomerEntity c = Records.customer(em, sid, id);
            Records.checkVersion("customer", id, input.version, c.version);
            copyWritable(input, c);
            c.updatedAt = clock.instant();
            em.flush();
            events.add(CrmTopics.CUSTOMER_UPDATED, Records.event(caller, "customer", c.id, c.id, c.owner.login, c.version));
            return Mapper.customer(c, code);
        });
    }

    @Override
    public CustomerDTO archive(CallerContext caller, long id) {
        String code = caller.requireSubsidiary();
        long sid = subsidiaries.idOf(code);
        return tx.run((em, events) -> {
            CustomerEntity c = Records.customer(em, sid, id);
            if (c.archive(clock.instant())) {
                em.flush();
                events.add(CrmTopics.CUSTOMER_ARCHIVED, Records.event(caller, "customer", c.id, c.id, c.owner.login, c.version));
            }
            return Mapper.customer(c, code);
        });
    }

    @Override
    public Page<CustomerDTO> search(CallerContext caller, CustomerQuery query) {
        String code = caller.requireSubsidiary();
        long sid = subsidiaries.idOf(code);
        StringBuilder where = new StringBuilder(" where c.subsidiaryId = :sid");
        String text = Records.clean(query.text());
        if (!query.includeArchived()) {
            where.append(" and c.archived = false");
        }
        if (query.owner() != null) {
            where.append(" and c.owner.login = :owner");
        }
        if (text != null) {
            where.append(" and (lower(c.name) like :name escape '\\' or c.phone like :phone escape '\\')");
        }
        return tx.run((em, events) -> {
            TypedQuery<Long> count = em.createQuery("select count(c) from CustomerEntity c" + where, Long.class);
            TypedQuery<CustomerEntity> rows = em.createQuery(
                    "select c from CustomerEntity c" + where + " order by c.name, c.id", CustomerEntity.class);
            for (TypedQuery<?> q : List.of(count, rows)) {
                q.setParameter("sid", sid);
                if (query.owner() != null) {
                    q.setParameter("owner", query.owner());
                }
                if (text != null) {
                    String escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
                    q.setParameter("name", "%" + escaped.toLowerCase(Locale.ROOT) + "%");
                    q.setParameter("phone", escaped + "%");
                }
            }
            return Records.page(count, rows, query.page(), c -> Mapper.customer(c, code));
        });
    }

    /** Birth year not in the future; age and birth year, when both are given, must agree (within the year's turn). */
    private List<FieldError> ageErrors(CustomerDTO in) {
        List<FieldError> errors = new ArrayList<>();
        if (in == null) {
            return errors;
        }
        int year = Year.now(clock).getValue();
        if (in.birthYear != null && in.birthYear > year) {
            errors.add(new FieldError("birthYear", "must not lie in the future"));
        }
        if (in.birthYear != null && in.age != null && Math.abs(year - in.age - in.birthYear) > 1) {
            errors.add(new FieldError("age", "does not match birthYear " + in.birthYear + "; send one of them"));
        }
        return errors;
    }

    private void copyWritable(CustomerDTO in, CustomerEntity c) {
        c.name = in.name.strip();
        c.phone = Records.clean(in.phone);
        c.email = Records.clean(in.email);
        c.occupation = Records.clean(in.occupation);
        c.birthYear = in.birthYear != null ? in.birthYear
                : in.age != null ? Year.now(clock).getValue() - in.age : null;
        c.address = Records.clean(in.address);
        c.notes = Records.clean(in.notes);
    }
}
