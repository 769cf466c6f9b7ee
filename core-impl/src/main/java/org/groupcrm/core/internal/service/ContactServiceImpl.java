package org.groupcrm.core.internal.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import javax.persistence.EntityManager;

import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.CoreResourceTypes;
import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.customer.ContactDTO;
import org.groupcrm.core.api.customer.ContactService;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.internal.persistence.ContactEntity;
import org.groupcrm.core.internal.persistence.CustomerEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.Tx;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Contacts (people) at customers of the caller's subsidiary. */
@Component(service = ContactService.class)
public class ContactServiceImpl implements ContactService {
    private final Clock clock = DbClock.UTC;

    @Reference
    RightsServiceImpl rights;

    @Reference
    Tx tx;

    @Reference
    InputValidator validator;

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    @Override
    public ContactDTO create(CallerContext caller, long customerId, ContactDTO input) {
        long sid = subsidiaries.idOf(caller.requireSubsidiary());
        rights.require(caller, CoreResourceTypes.CONTACT, Right.ENTER);
        validator.validate(input);
        return tx.run((em, events) -> {
            CustomerEntity customer = Records.customerToChange(em, caller, sid, customerId);
            if (customer.archived) {
                throw new NotFoundException("customer", customerId);
            }
            ContactEntity c = new ContactEntity();
            c.subsidiaryId = sid;
            c.customerId = customer.id;
            copyWritable(input, c);
            Instant now = clock.instant();
            c.created(now);
            em.persist(c);
            em.flush();
            Audit.record(em, caller, sid, "contact", c.id, "CREATE", java.util.Map.of(), c, now);
            events.add(CrmTopics.CONTACT_CREATED, Records.event(caller, "contact", c.id, customerId, customer.owner.login, c.version));
            return Mapper.contact(c);
        });
    }

    @Override
    public List<ContactDTO> list(CallerContext caller, long customerId) {
        long sid = subsidiaries.idOf(caller.requireSubsidiary());
        rights.require(caller, CoreResourceTypes.CONTACT, Right.QUERY);
        return tx.run((em, events) -> {
            Records.customer(em, caller, sid, customerId);
            return em.createQuery("select c from ContactEntity c where c.customerId = :customer and c.archived = false"
                    + " order by c.name, c.id", ContactEntity.class)
                    .setParameter("customer", customerId).getResultList().stream().map(Mapper::contact).toList();
        });
    }

    @Override
    public ContactDTO update(CallerContext caller, long customerId, long contactId, ContactDTO input) {
        long sid = subsidiaries.idOf(caller.requireSubsidiary());
        rights.require(caller, CoreResourceTypes.CONTACT, Right.MODIFY);
        validator.validate(input);
        return tx.run((em, events) -> {
            CustomerEntity customer = Records.customerToChange(em, caller, sid, customerId);
            ContactEntity c = contact(em, customerId, contactId);
            Records.checkVersion("contact", contactId, input.version, c.version);
            java.util.Map<String, Object> before = Audit.snapshot(c);
            copyWritable(input, c);
            c.updatedAt = clock.instant();
            em.flush();
            Audit.record(em, caller, sid, "contact", c.id, "UPDATE", before, c, c.updatedAt);
            events.add(CrmTopics.CONTACT_UPDATED, Records.event(caller, "contact", c.id, customerId, customer.owner.login, c.version));
            return Mapper.contact(c);
        });
    }

    @Override
    public ContactDTO archive(CallerContext caller, long customerId, long contactId) {
        long sid = subsidiaries.idOf(caller.requireSubsidiary());
        rights.require(caller, CoreResourceTypes.CONTACT, Right.MODIFY);
        return tx.run((em, events) -> {
            CustomerEntity customer = Records.customerToChange(em, caller, sid, customerId);
            ContactEntity c = contact(em, customerId, contactId);
            java.util.Map<String, Object> before = Audit.snapshot(c);
            if (c.archive(clock.instant())) {
                em.flush();
                Audit.record(em, caller, sid, "contact", c.id, "ARCHIVE", before, c, c.updatedAt);
                events.add(CrmTopics.CONTACT_ARCHIVED, Records.event(caller, "contact", c.id, customerId, customer.owner.login, c.version));
            }
            return Mapper.contact(c);
        });
    }

    private static ContactEntity contact(EntityManager em, long customerId, long contactId) {
        ContactEntity c = em.find(ContactEntity.class, contactId);
        if (c == null || c.customerId != customerId) {
            throw new NotFoundException("contact", contactId);
        }
        return c;
    }

    private static void copyWritable(ContactDTO in, ContactEntity c) {
        c.name = in.name.strip();
        c.jobTitle = Records.clean(in.jobTitle);
        c.phone = Records.clean(in.phone);
        c.email = Records.clean(in.email);
        c.notes = Records.clean(in.notes);
    }
}
