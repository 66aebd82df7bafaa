// Every form of the portal: the date picker (bootstrap-datepicker, set up by Flask-AppBuilder's ab.js) in the
// page's language with the week from Monday, leaving what is typed as typed (app/views/dates.py reads
// 2026/10/15, 20261015 …); and after a failed save, the summary of its problems
// (templates/appbuilder/general/widgets/form.html) brought into view, each link focusing its field.
(function ($) {
    "use strict";

    var language = document.currentScript.getAttribute("data-language");

    if ($.fn.datepicker) {  // before ab.js sets the pickers up, once the page is loaded
        $.fn.datepicker.dates["zh-CN"] = {
            days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
            daysShort: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
            daysMin: ["日", "一", "二", "三", "四", "五", "六"],
            months: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
            monthsShort: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
            today: "今天",
            clear: "清除",
            format: "yyyy-mm-dd",
            titleFormat: "yyyy年mm月",
            weekStart: 1
        };
        $.extend($.fn.datepicker.defaults, {
            language: language === "zh" ? "zh-CN" : "en",
            weekStart: 1,
            forceParse: false,
            autoclose: true,
            todayHighlight: true
        });
    }

    function focusField(row) {
        $(row).find("input:visible, textarea:visible, select:visible, .select2-selection").first().trigger("focus");
    }

    $(function () {
        var summary = document.getElementById("form-error-summary");
        if (!summary) {
            return;
        }
        summary.scrollIntoView({block: "start"});
        summary.focus({preventScroll: true});
        $(summary).on("click", "a[data-field]", function () {
            var label = document.getElementById(this.getAttribute("data-field") + "-label");
            window.setTimeout(function () { focusField(label.parentNode); }, 0);  // after the link has scrolled
        });
    });
})(jQuery);
