package org.groupcrm.core.internal.service;

import java.time.Clock;
import java.time.Year;
import java.util.TreeSet;

import org.groupcrm.core.api.activity.ActivityDTO;
import org.groupcrm.core.api.approval.ApprovalDTO;
import org.groupcrm.core.api.approval.ApprovalStepDTO;
import org.groupcrm.core.api.customer.ContactDTO;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.subsidiary.SubsidiaryDTO;
import org.groupcrm.core.api.subsidiary.SubsidiarySettingsDTO;
import org.groupcrm.core.api.user.UserDTO;
import org.groupcrm.core.internal.persistence.ActivityEntity;
import org.groupcrm.core.internal.persistence.ApprovalEntity;
import org.groupcrm.core.internal.persistence.ApprovalStepEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.ContactEntity;
import org.groupcrm.core.internal.persistence.CustomerEntity;
import org.groupcrm.core.internal.persistence.SubsidiaryEntity;
import org.groupcrm.core.internal.persistence.UserEntity;

/** Entity → DTO conversions; entities never leave the service layer. */
final class Mapper {
    private static final Clock CLOCK = DbClock.UTC;

    private Mapper() {
    }

    static SubsidiaryDTO subsidiary(SubsidiaryEntity e) {
        SubsidiaryDTO d = new SubsidiaryDTO();
        d.id = e.id;
        d.code = e.code;
        d.name = e.name;
        d.timeZone = e.timeZone;
        d.createdAt = e.createdAt;
        return d;
    }

    static SubsidiarySettingsDTO settings(SubsidiaryEntity e) {
        SubsidiarySettingsDTO d = new SubsidiarySettingsDTO();
        d.subsidiary = e.code;
        d.recordVisibility = e.recordVisibility;
        return d;
    }

    static UserDTO user(UserEntity e) {
        UserDTO d = new UserDTO();
        d.id = e.id;
        d.login = e.login;
        d.displayName = e.displayName;
        d.homeSubsidiary = e.homeSubsidiary == null ? null : e.homeSubsidiary.code;
        d.subsidiaries = new TreeSet<>();
        e.subsidiaries.forEach(s -> d.subsidiaries.add(s.code));
        d.roles = new TreeSet<>(e.roles);
        d.enabled = e.enabled;
        d.team = e.team;
        d.reps = new TreeSet<>();
        e.reps.forEach(r -> d.reps.add(r.login));
        d.createdAt = e.createdAt;
        return d;
    }

    static CustomerDTO customer(CustomerEntity e, String subsidiaryCode) {
        CustomerDTO d = new CustomerDTO();
        d.id = e.id;
        d.subsidiary = subsidiaryCode;
        d.name = e.name;
        d.phone = e.phone;
        d.email = e.email;
        d.occupation = e.occupation;
        d.birthYear = e.birthYear;
        d.age = e.birthYear == null ? null : Year.now(CLOCK).getValue() - e.birthYear;
        d.address = e.address;
        d.notes = e.notes;
        d.owner = e.owner.login;
        d.enteredBy = e.enteredBy.login;
        d.createdAt = e.createdAt;
        d.updatedAt = e.updatedAt;
        d.version = e.version;
        d.archived = e.archived;
        return d;
    }

    static ContactDTO contact(ContactEntity e) {
        ContactDTO d = new ContactDTO();
        d.id = e.id;
        d.customerId = e.customerId;
        d.name = e.name;
        d.jobTitle = e.jobTitle;
        d.phone = e.phone;
        d.email = e.email;
        d.notes = e.notes;
        d.createdAt = e.createdAt;
        d.updatedAt = e.updatedAt;
        d.version = e.version;
        d.archived = e.archived;
        return d;
    }

    static ActivityDTO activity(ActivityEntity e) {
        ActivityDTO d = new ActivityDTO();
        d.id = e.id;
        d.customerId = e.customer.id;
        d.customerName = e.customer.name;
        d.type = e.type;
        d.subject = e.subject;
        d.notes = e.notes;
        d.occurredAt = e.occurredAt;
        d.recordedAt = e.recordedAt;
        d.owner = e.owner.login;
        d.enteredBy = e.enteredBy.login;
        d.dueAt = e.dueAt;
        d.done = e.done;
        d.doneAt = e.doneAt;
        d.createdAt = e.createdAt;
        d.updatedAt = e.updatedAt;
        d.version = e.version;
        d.archived = e.archived;
        return d;
    }

    static ApprovalDTO approval(ApprovalEntity e, String subsidiaryCode) {
        ApprovalDTO d = new ApprovalDTO();
        d.id = e.id;
        d.subsidiary = subsidiaryCode;
        d.type = e.type;
        d.subjectType = e.subjectType;
        d.subjectId = e.subjectId;
        d.summary = e.summary;
        d.steps = new java.util.ArrayList<>();
        for (ApprovalStepEntity s : e.steps) {
            ApprovalStepDTO step = new ApprovalStepDTO(s.role);
            step.status = s.status;
            step.decidedBy = s.decidedBy == null ? null : s.decidedBy.login;
            step.decidedAt = s.decidedAt;
            step.comment = s.comment;
            d.steps.add(step);
        }
        d.status = e.status;
        d.currentStep = e.currentStep;
        d.currentRole = e.currentRole;
        d.submittedBy = e.submittedBy.login;
        d.submittedAt = e.createdAt;
        d.closedAt = e.closedAt;
        d.updatedAt = e.updatedAt;
        d.version = e.version;
        return d;
    }
}
