package com.partneraccess.connections;

import java.util.UUID;

/**
 * The change an operation made to a connection: its access afterwards, whether it ended, its expiry (ISO), and
 * the partner's name as read with the locked row (for the confirmation sentence, without reading it again).
 */
public record ConnectionChange(UUID connectionId, UUID accountId, UUID partnerId, String access, boolean disconnected,
                               String expiresAt, String partnerName) {}
