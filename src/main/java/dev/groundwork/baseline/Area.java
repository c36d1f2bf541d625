package dev.groundwork.baseline;

/** The areas of the standard; each has its own Ready condition and may have its own mode. */
public enum Area {
    namespaces("NamespacesReady"),
    networking("NetworkingReady"),
    storage("StorageReady"),
    logging("LoggingReady"),
    access("AccessReady");

    private final String conditionType;

    Area(String conditionType) {
        this.conditionType = conditionType;
    }

    public String conditionType() {
        return conditionType;
    }
}
