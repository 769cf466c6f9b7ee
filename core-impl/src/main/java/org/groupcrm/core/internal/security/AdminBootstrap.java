package org.groupcrm.core.internal.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import javax.persistence.EntityManager;

import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.Tx;
import org.groupcrm.core.internal.persistence.UserEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first group administrator {@code admin} when the user table has no group administrator. Its password
 * is {@code CRM_ADMIN_PASSWORD} when set (at least 10 characters, else no admin is created and the log says why),
 * otherwise a random one written to {@code data/crm/initial-admin-password} (owner-only permissions) before the user
 * is created. There is no default password.
 */
@Component(immediate = true)
public class AdminBootstrap {
    static final String LOGIN = "admin";
    static final String ENV_PASSWORD = "CRM_ADMIN_PASSWORD";
    static final int MIN_PASSWORD_LENGTH = 10;
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    @Reference
    Tx tx;

    @Activate
    void activate() throws IOException {
        String given = System.getenv(ENV_PASSWORD);
        boolean generated = given == null || given.isBlank();
        if (!generated && given.length() < MIN_PASSWORD_LENGTH) {
            LOG.error("{} is shorter than {} characters: the group administrator '{}' was not created", ENV_PASSWORD,
                    MIN_PASSWORD_LENGTH, LOGIN);
            return;
        }
        if (adminExists()) {
            return;
        }
        String password = generated ? randomPassword() : given;
        Path file = passwordFile();
        if (generated) {
            // the file first: an admin whose generated password was never written down could never sign in
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        }
        String hash = new PasswordHasher().hash(password);
        boolean created = tx.run((em, events) -> {
            if (adminExists(em)) {
                return false;
            }
            UserEntity u = new UserEntity();
            u.login = LOGIN;
            u.displayName = "Group administrator";
            u.passwordHash = hash;
            u.roles = new HashSet<>(Set.of(Roles.GROUP_ADMIN));
            u.created(DbClock.UTC.instant());
            em.persist(u);
            return true;
        });
        if (!created) {
            if (generated) {
                Files.deleteIfExists(file);
            }
        } else if (generated) {
            LOG.warn("Created the group administrator '{}' with a generated password, written to {}; change it and delete the file",
                    LOGIN, file);
        } else {
            LOG.info("Created the group administrator '{}' with the password from {}", LOGIN, ENV_PASSWORD);
        }
    }

    private boolean adminExists() {
        return tx.run((em, events) -> adminExists(em));
    }

    /** A group administrator exists, or the login {@code admin} is taken. */
    private static boolean adminExists(EntityManager em) {
        long admins = em.createQuery("select count(u) from UserEntity u where :role member of u.roles", Long.class)
                .setParameter("role", Roles.GROUP_ADMIN).getSingleResult();
        return admins > 0 || !em.createQuery("select u.id from UserEntity u where u.login = :login")
                .setParameter("login", LOGIN).getResultList().isEmpty();
    }

    static Path passwordFile() {
        String data = System.getProperty("karaf.data", "data");
        return Paths.get(data, "crm", "initial-admin-password");
    }

    static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
