// Relation pickers (app/views/pickers.py): a select holding only the chosen record(s) becomes a select2 that
// asks the server for one page of matches as the user types. The search panel's field templates are cloned by
// Flask-AppBuilder's ab_filters.js when a filter is added, so clones are set up after each such click.
(function ($) {
    "use strict";

    function setUp(select) {
        var $select = $(select);
        if ($select.hasClass("select2-hidden-accessible")) {
            return;
        }
        $select.select2({
            theme: "bootstrap",
            width: "100%",
            placeholder: $select.data("placeholder"),
            allowClear: $select.data("allow-clear") === true,
            language: {
                noResults: function () { return $select.data("no-results"); },
                searching: function () { return $select.data("searching"); },
                loadingMore: function () { return $select.data("loading-more"); },
                errorLoading: function () { return $select.data("error-loading"); }
            },
            ajax: {
                url: $select.data("picker-url"),
                dataType: "json",
                delay: 250,
                data: function (params) {
                    return {q: params.term || "", page: params.page || 1};
                }
            }
        });
    }

    function setUpAll() {
        $("select.portal-picker").each(function () { setUp(this); });
    }

    $(function () {
        setUpAll();
        $(document).on("click", "a.filter", setUpAll);
    });
})(jQuery);
