package org.groupcrm.core.internal.plugin;

import javax.validation.constraints.NotBlank;
import javax.validation.constraints.Pattern;

/** A Karaf feature repository offering plugin features. */
public class PluginRepositoryDTO {
    @NotBlank
    @Pattern(regexp = "(mvn:|file:|https?://)\\S+", message = "must be a mvn:, file: or http(s) URI")
    public String uri;
    /** Repository name, as the repository declares it (answers only). */
    public String name;
}
