package org.groupcrm.core.api.customer;

import java.time.Instant;

import javax.validation.constraints.Email;
import javax.validation.constraints.NotBlank;
import javax.validation.constraints.Pattern;
import javax.validation.constraints.Size;

/**
 * A person at a customer. Writable: {@code name}, {@code jobTitle}, {@code phone}, {@code email}, {@code notes};
 * {@code version} is required on update. Read-only: {@code id}, {@code customerId}, {@code createdAt},
 * {@code updatedAt}, {@code archived}.
 */
public class ContactDTO {
    public Long id;
    public Long customerId;

    @NotBlank
    @Size(max = 200)
    public String name;

    @Size(max = 100)
    public String jobTitle;

    @Size(max = 40)
    @Pattern(regexp = "\\+?[0-9][0-9 ()./-]{2,39}", message = "must be a phone number: digits, optionally a leading '+', spaces, '(', ')', '.', '/', '-'")
    public String phone;

    @Email
    @Size(max = 254)
    public String email;

    @Size(max = 4000)
    public String notes;

    public Instant createdAt;
    public Instant updatedAt;
    public Long version;
    public boolean archived;
}
