package com.partneraccess.connections;

import java.util.UUID;

/** The change an operation made to a connection: its access afterwards, whether it ended, its expiry (ISO). */
public record ConnectionChange(UUID connectionId, UUID accountId, UUID partnerId, String access, boolean disconnected,
                               String expiresAt) {}
