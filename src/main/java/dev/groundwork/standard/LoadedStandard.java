package dev.groundwork.standard;

/** The standard in force and its revision, the short hash every product's status shows. */
public record LoadedStandard(Standard standard, String revision) {
}
