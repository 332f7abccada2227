package com.partneraccess.connections;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Customers list's statement builder: a placeholder always names the value it stands for. Plain unit tests. */
@DisplayName("Customers list SQL: placeholders")
class CustomerListStatementTest {
  private static final UUID PARTNER = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
  private static final UUID VIEWER = UUID.fromString("00000000-0000-0000-0000-0000000000bb");
  private static final Instant NOW = Instant.parse("2026-03-03T10:00:00Z");
  /** The partner as the Access requested filter's sub-select repeats it. */
  private static final Pattern PARTNER_CLAUSE = Pattern.compile("r\\.partner_id = \\$(\\d+)::uuid");

  @Test
  @DisplayName("R16: the partner's placeholder is the parameter that holds the partner, not $1 by assumption")
  void partnerPlaceholderIsWhereThePartnerStands() {
    CustomerListRepository.Statement st = new CustomerListRepository.Statement(
        CustomerQuery.one(PARTNER, VIEWER, null, NOW));
    st.p("a parameter added before the partner's");
    assertThat(st.partner()).isEqualTo("$2::uuid");
    assertThat(st.params.get(1)).isEqualTo(PARTNER);
    assertThat(st.partner()).as("the same placeholder again, no second parameter").isEqualTo("$2::uuid");
    assertThat(st.params).hasSize(2);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(CustomerQuery.Filter.class)
  @DisplayName("R4/R16: in the list's own statement, every repeated partner placeholder holds the partner")
  void everyPartnerPlaceholderHoldsThePartner(CustomerQuery.Filter filter) {
    CustomerQuery q = new CustomerQuery(PARTNER, VIEWER, null, "acme", filter, CustomerQuery.Sort.NAME, 10, null, NOW);
    CustomerListRepository.Statement st = CustomerListRepository.customerWhere(q);
    String sql = st.sql + " AND " + CustomerListRepository.filterSql(filter, st);
    Matcher m = PARTNER_CLAUSE.matcher(sql);
    while (m.find()) {
      assertThat(st.params.get(Integer.parseInt(m.group(1)) - 1)).as(sql).isEqualTo(PARTNER);
    }
    assertThat(sql).contains("c.partner_id = " + st.partner());
  }
}
