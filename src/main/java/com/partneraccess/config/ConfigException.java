package com.partneraccess.config;

/**
 * A configuration the service cannot start with. Its message is one self-contained line naming the key (and the
 * file and line, or the port) so the operator can fix it without reading a stack trace.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
