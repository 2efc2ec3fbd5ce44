import Testing

/// The checker itself must catch what it claims to, or the well-formedness tests prove nothing.
@Suite struct MarkupCheckTests {
    @Test func acceptsBalancedMarkup() {
        #expect(markupProblem("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>a>b{}</style></head><body><p a=\"x>y\">1 &amp; 2</p><svg><path d=\"M0 0\"/></svg></body></html>") == nil)
    }

    @Test func rejectsBrokenMarkup() {
        #expect(markupProblem("<div><p></div>") != nil)
        #expect(markupProblem("<div>") != nil)
        #expect(markupProblem("</div>") != nil)
        #expect(markupProblem("<p>a < b</p>") != nil)
        #expect(markupProblem("<p>a > b</p>") != nil)
        #expect(markupProblem("<p>fish & chips</p>") != nil)
        #expect(markupProblem("<p title=\"x>") != nil)
    }
}
