package com.advwell.platform.config;

/** A setting whose value cannot be used; the message names the setting so the operator can fix it. */
public class InvalidSettingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidSettingException(String name, String problem) {
        super("Invalid setting " + name + ": " + problem);
    }
}
