"""The longer texts of the vocabulary (part of :mod:`report.vocab`): figure titles and captions, page
headings and notes, and the STRESS-DES model description, each as (English, Chinese).

Figure keys are ``title_<spec name>`` and ``cap_<spec name>`` (see :mod:`report.specs`).
"""

from __future__ import annotations

from report.vocab_sensitivity import SENSITIVITY_TEXT
from report.vocab_stress import STRESS_TEXT

LONG_TEXT: dict[str, tuple[str, str]] = {
    # --- figures: titles and captions -----------------------------------------------------------------
    "title_map_archipelago_islands_links_resources": ("The archipelago", "群岛概况"),
    "cap_map_archipelago_islands_links_resources": (
        "Islands at their position, area ∝ residents, colour = share aged 60+; sea links by mode; highest level "
        "of care, care homes; AEDs and ambulance boats under the policy of this run.",
        "各岛按实际位置绘制，圆面积与常住人口成正比，颜色表示60岁及以上人口比例；按方式区分的海上航线；"
        "各岛最高医疗机构级别、养老机构；本次运行政策下的AED与急救艇数量。"),
    "title_time_to_definitive_care_by_island_condition": ("Time to definitive care", "到达确定性治疗的时间"),
    "cap_time_to_definitive_care_by_island_condition": (
        "Per island (home of the patient) and condition: mean of each replication (dots), mean over replications "
        "(diamond), mean 90th percentile (bar), target (dashed). Log scale; under 1 minute drawn at 1 minute. No "
        "per-patient distribution is kept (memory stays flat), so the spread shown is that between replications.",
        "按患者居住岛与病种：每次重复的均值（圆点）、各次重复的均值（菱形）、第90百分位的均值（竖线）、目标（虚线）。"
        "对数刻度；不足1分钟按1分钟绘制。模型不保存逐个患者的分布（内存占用恒定），图中的离散程度为各次重复之间的差异。"),
    "title_within_target_share_by_condition_scenario": ("Share within target", "目标时间内得到治疗的比例"),
    "cap_within_target_share_by_condition_scenario": (
        "County share of patients reaching definitive care within the condition's target; mean and 95% t-interval "
        "over replications (one colour per job in a sweep).",
        "全县在病种目标时间内得到确定性治疗的患者比例；各次重复的均值及95% t置信区间（参数扫描中每个作业一种颜色）。"),
    "title_transfers_by_mode_and_island": ("Emergency transfers", "紧急转运"),
    "cap_transfers_by_mode_and_island": (
        "Transfers by the mode that carried the patient, by home island, per year ({days} observed days scaled to "
        "a year); whisker: 95% interval of the total; diamond: transfers ending outside the county.",
        "按承运方式和患者居住岛统计的每年转运人次（观察期{days}天折算为一年）；误差线为合计的95%置信区间；"
        "菱形为转出县外的人次。"),
    "title_weather_delay_and_closures_by_month": ("Weather by month", "逐月天气影响"),
    "cap_weather_delay_and_closures_by_month": (
        "(a) Minutes a transferred patient waited while no allowed mode could operate, per calendar month (mean, "
        "95% interval over replications). (b) Share of observed time each vessel type was stopped, by weather area.",
        "(a) 各月转运患者在所有可用方式均无法运行时的等候分钟数（均值，各次重复的95%置信区间）。"
        "(b) 各海区每类船舶停航时间占观察时间的比例。"),
    "title_occupancy_hospital_beds_care_homes_over_year": ("Occupancy over the year", "全年床位占用"),
    "cap_occupancy_hospital_beds_care_homes_over_year": (
        "Daily mean occupied hospital beds and care-home places, county total: mean over replications and the "
        "range of the replications (band); capacity dashed.",
        "全县每日平均占用的住院床位和养老床位：各次重复的均值及范围（阴影）；虚线为容量。"),
    "title_care_waitlist_over_time": ("Waiting list for care homes", "养老机构轮候名单"),
    "cap_care_waitlist_over_time": (
        "People waiting for a care-home place, county (range over replications shaded) and the islands with the "
        "longest lists.",
        "等候养老床位的人数：全县（阴影为各次重复的范围）及轮候人数最多的海岛。"),
    "title_circuit_visits_planned_vs_made_by_island_month": ("Circuit-team visits", "巡回医疗"),
    "cap_circuit_visits_planned_vs_made_by_island_month": (
        "Visits planned (outline) and made (filled) by island and month, mean over replications.",
        "各岛各月计划（空心）与实际（实心）巡回医疗次数，各次重复的均值。"),
    "title_cardiac_arrest_expected_survivors_by_island": ("Cardiac arrest survivors", "心脏骤停存活人数"),
    "cap_cardiac_arrest_expected_survivors_by_island": (
        "Expected survivors of out-of-hospital cardiac arrest per year by home island ({days} observed days scaled "
        "to a year); mean and 95% interval over replications.",
        "按居住岛统计的每年院外心脏骤停预期存活人数（观察期{days}天折算为一年）；各次重复的均值及95%置信区间。"),
    "title_cardiac_arrest_expected_survivors_by_island_scenario": ("Cardiac arrest survivors", "心脏骤停存活人数"),
    "cap_cardiac_arrest_expected_survivors_by_island_scenario": (
        "Expected survivors per year by home island for each job; mean and 95% interval over replications.",
        "各作业按居住岛统计的每年预期存活人数；各次重复的均值及95%置信区间。"),
    "title_resource_ratios_vs_2025_targets": ("Resources against the 2025 targets", "资源配置与2025年目标对比"),
    "cap_resource_ratios_vs_2025_targets": (
        "County ratios as a share of the targets of the county plan; values written as 'value of target'.",
        "全县各项比率占县规划目标的百分比；标注为“现值 / 目标值”。"),
    "title_plan_changes_by_island": ("Plan: changes by island", "规划方案：各岛变化"),
    "cap_plan_changes_by_island": (
        "Change of each resource from today in the optimiser's plan, summed by island; blank: unchanged.",
        "优化方案中各资源相对现状的变化，按岛汇总；空白表示不变。"),
    "title_frontier_budget_benefit": ("Frontier: outcomes against money", "前沿：结局与投入"),
    "cap_frontier_budget_benefit": (
        "The best plan's outcome at each budget, or two outcomes traded against each other (a Pareto front); "
        "today's allocation and the knee, where returns start to diminish, are marked (from the optimiser).",
        "各预算下最优方案的结局，或两种结局之间的权衡（帕累托前沿）；标出现状配置与拐点（收益开始递减处）（来自优化器）。"),
    # the frontier's texts (report/figures_optimize.py)
    "out_survivors": ("expected cardiac-arrest survivors per year", "每年心脏骤停预期存活人数"),
    "out_within_target": ("time-critical patients within target per year", "每年在目标时间内得到治疗的时间敏感患者"),
    "out_delay_hours_avoided": ("patient-hours of delay avoided per year", "每年减少的患者延误小时数"),
    "out_consultations_no_doctor": ("consultations per year, islands without a doctor", "无驻岛医生海岛每年诊疗人次"),
    "out_placed_in_care": ("elderly placed in care per year", "每年入住养老机构的老人"),
    "out_hospital_bed_found": ("admissions finding a bed per year", "每年找到床位的入院"),
    "fr_optimal_two": ("optimal plans (none better in both)", "最优方案（无两项皆优者）"),
    "fr_optimal": ("optimal plan at each budget", "各预算下的最优方案"),
    "fr_runs": ("budgets at which the same plan is best", "同一方案均为最优的预算区间"),
    "fr_beaten": ("solved points beaten by another (solver gap)", "被其他点超越的求解点（求解间隙）"),
    "fr_today": ("today's allocation", "现状配置"),
    "fr_today_level": ("today's allocation ({v}, no extra cost)", "现状配置（{v}，无额外成本）"),
    "fr_knee": ("knee: returns start to diminish", "拐点：收益开始递减"),
    "fr_infeasible": ("{n} point(s) with no plan meeting the floors and minimums", "{n}个点没有满足下限与最低要求的方案"),
    "fr_cost": ("extra operating cost of the plan (million yuan per year)", "方案的额外运行成本（百万元/年）"),
    "fr_title_two": ("Pareto front: {a} against {b} (epsilon constraint)", "帕累托前沿：{a}与{b}（ε约束法）"),
    "fr_title": ("Frontier: {a} against money", "前沿：{a}与投入"),
    "title_sweep_heatmap": ("Sweep heatmap: {metric} over {x} × {y}", "参数扫描热图：{metric}（{x} × {y}）"),
    "cap_sweep_heatmap": (
        "County values: mean over replications (and over any other swept parameter) for each pair of values of "
        "{x} and {y}{many}",
        "全县数值：{x}与{y}每一组取值下各次重复（及其他扫描参数）的均值{many}"),
    "heat_many": ("; all conditions and the time-critical ones.", "；全部病种及时间敏感病种。"),
    # --- figures not drawn ----------------------------------------------------------------------------
    "skipped": ("{title}: not drawn ({why})", "{title}：未绘制（{why}）"),
    "why_table": ("no {table} table in this folder", "本文件夹中没有{table}表"),
    "why_map_meta": ("no geography: a synthetic validation scenario, or a run without run_meta.json",
                     "无地理信息：合成验证情景，或运行结果缺少run_meta.json"),
    "why_within": ("no within-target shares in summary.csv", "summary.csv中没有目标时间内比例"),
    "why_survivors": ("no cardiac-arrest survival metrics", "没有心脏骤停存活指标"),
    "why_sweep_within": ("no within-target shares in the sweep", "参数扫描中没有目标时间内比例"),
    "why_sweep_survivors": ("no cardiac-arrest survival metrics in the sweep", "参数扫描中没有心脏骤停存活指标"),
    "why_sweep": ("no sweep KPIs", "没有参数扫描指标"),
    "titles_sweep_heatmap": ("Sweep heatmaps", "参数扫描热图"),
    "why_variants_sweep_heatmap": ("fewer than two swept parameters", "扫描参数少于两个"),
    "why_failed": ("failed: {error}", "绘制失败：{error}"),
    "why_no_waitlist": ("no one waited for a care-home place in this run", "本次运行中无人等候养老床位"),
    "why_all_visits_made": ("every planned circuit-team visit was made in every month and replication of this run",
                            "本次运行中每月、每次重复的巡回医疗队计划出诊均已完成"),
    "no_cjk_font": ("No CJK font is installed (Debian: apt-get install fonts-noto-cjk): the figures of the Chinese "
                    "report are in English.",
                    "未安装中文字体（Debian：apt-get install fonts-noto-cjk）：中文报告中的图表为英文。"),
    "figures_not_drawn": ("Figures not drawn", "未绘制的图表"),
    "files": ("Files: {png}, {pdf}", "文件：{png}，{pdf}"),
    # --- pages ----------------------------------------------------------------------------------------
    "page_title": ("islandcare report: {scenario}, policy {policy}", "海岛医疗规划报告：{scenario}，政策{policy}"),
    "sweep_title": ("islandcare sweep report: {name}", "海岛医疗参数扫描报告：{name}"),
    "page_sub": ("Run folder {folder}. Figures are also in figures/ as PNG (300 dpi) and PDF.",
                 "运行文件夹{folder}。图表另存于figures/，格式为PNG（300 dpi）和PDF。"),
    "sweep_sub": ("Sweep folder {folder}.", "参数扫描文件夹{folder}。"),
    "lang_name": ("English", "中文"),
    "incomplete": ("This run is incomplete: {why}. The tables and figures below show only what it wrote; "
                   "re-run the same command to finish it.",
                   "本次运行未完成：{why}。以下图表仅包含已写出的结果；请重新运行同一命令以完成。"),
    "h_run": ("What was run", "运行设置"), "h_results": ("Results against the county's targets", "结果与全县目标对比"),
    "h_figures": ("Figures", "图表"), "h_plan": ("Plan", "规划方案"),
    "h_plan_outcomes": ("Outcomes per year: today, with the plan, change", "每年结局：现状、方案实施后及变化"),
    "h_league": ("League table: what each option buys per yuan", "干预措施排行：每元投入的效果"),
    "league_note": ("Each option one step from today (all else equal); yuan per year per unit of outcome, capital "
                    "spread over its years of use; rank 1 = cheapest per unit. All options and outcomes: options.csv.",
                    "每项措施在现状基础上增加一步（其余不变）；每单位结局每年所需元数，资本支出按使用年限分摊；"
                    "第1名为单位成本最低。全部措施与结局见 options.csv。"), "h_sources": ("Data sources", "数据来源"),
    "h_model": ("Model description (STRESS-DES)", "模型说明（STRESS-DES）"),
    "h_county": ("County KPIs", "全县关键指标"), "h_by_condition": ("By condition (county)", "按病种（全县）"),
    "h_by_island": ("By home island (all conditions)", "按居住岛（全部病种）"),
    "h_weather": ("In bad weather: time-critical conditions by sea state at onset",
                  "恶劣天气下：时间敏感病种按发病时海况"),
    "h_face": ("Face validation: the model against published figures", "表面效度：模型与公开数据对比"),
    "h_comparison": ("Comparison tables", "对比表"), "h_targets_ref": ("Reference job against the county's targets",
                                                                    "基准作业与全县目标对比"),
    "ref_suffix": (" (reference)", "（基准）"),
    "h_reference_job": ("Reference job", "基准作业"),
    "window_note": ("Counts are over the observed window of {days} days (run length minus warm-up); intervals are "
                    "95% t-intervals over replications.",
                    "计数为{days}天观察期内的数值（运行时长减去预热期）；区间为各次重复的95% t置信区间。"),
    "uncertainty_note": ("Parameter uncertainty: each replication drew its own uncertain inputs from the ranges of "
                         "uncertainty.csv, so the intervals are 95% uncertainty intervals (input ranges and "
                         "simulation noise together), not confidence intervals of a mean.",
                         "参数不确定性：每次重复从uncertainty.csv的取值范围中各自抽取不确定输入，因此区间为95%不确定性区间"
                         "（输入范围与模拟随机性的合计），而非均值的置信区间。"),
    "too_wide_note": ("'too wide to read': the interval reaches further than half the mean from the mean; the number "
                      "is not known well enough to plan on (more replications narrow a confidence interval, not an "
                      "uncertainty interval).",
                      "“过宽，难以判读”：区间自均值向外延伸超过均值的一半，该数值不够确定，不宜据以规划（增加重复次数可缩小"
                      "置信区间，但不能缩小不确定性区间）。"),
    "table_wide": (" † the interval is too wide to read (it reaches further than half the mean, or half the "
                   "reference, from the value).", " †表示区间过宽，难以判读（自数值向外延伸超过均值或基准值的一半）。"),
    "table_uncertainty": (" The intervals are 95% uncertainty intervals: each replication drew its own uncertain inputs.",
                          "区间为95%不确定性区间：每次重复各自抽取不确定输入。"),
    "no_summary": ("This folder has no summary.csv (not a simulation run).", "本文件夹没有summary.csv（不是模拟运行）。"),
    "no_ratios": ("No ratios in this run.", "本次运行没有比率数据。"),
    "every_kpi": ("Every KPI of summary.csv (mean and 95% interval over replications, units as stored: minutes, "
                  "counts over the observed window, shares as fractions)",
                  "summary.csv中的全部指标（各次重复的均值及95%置信区间，单位与文件一致：分钟、观察期内计数、比例为小数）"),
    "weather_note": ("Time to definitive care (mean, minutes) and share within target by the sea state at the "
                     "patient's onset; n: patients of that kind in that weather, all replications together (a "
                     "share of a few patients says little); '–': no such patient.",
                     "按患者发病时海况统计的到达确定性治疗时间（均值，分钟）与目标时间内比例；n为各次重复合计的该天气下"
                     "此类患者人数（患者很少时比例参考价值有限）；“–”表示无此类患者。"),
    "face_note": ("✗ marks an indicator whose model mean lies outside the reference range (the model's "
                  "interval shows the simulation noise only).",
                  "✗ 表示模型均值落在参考范围之外的指标（模型区间仅反映模拟随机误差）。"),
    "sweep_intro": ("{n} jobs over {keys}; differences are against job {ref} ({label}).",
                    "共{n}个作业，扫描参数：{keys}；差值以作业{ref}（{label}）为基准。"),
    "sweep_common": ("Overrides shared by every job: {common}.", "所有作业共同的设置：{common}。"),
    "table_note": ("Mean over replications [95% t-interval]; Δ: difference from the reference [paired 95% "
                   "interval], * the interval excludes zero. Shares in %.",
                   "各次重复的均值[95% t置信区间]；Δ：与基准的差值[配对95%置信区间]，*表示区间不含零。比例以%表示。"),
    "sweep_files": ("The same tables are in tables/ as CSV, Markdown and LaTeX.",
                    "同样的表格以CSV、Markdown和LaTeX格式保存在tables/中。"),
    "no_kpis": ("No KPIs found in this sweep.", "本次参数扫描中未找到指标。"),
    "sources_intro": ("Tables of {folder}. Keys in brackets refer to the research notes named in the scenario's "
                      "README; DER marks arithmetic on sourced numbers, estimate a judgement with its reasoning in the row.",
                      "{folder}中的数据表。方括号内为情景README所列研究资料的编号；DER表示基于有来源数据的推算，"
                      "estimate表示附有理由的估计。"),
    "synthetic": ("Synthetic scenario ({kind}): no data tables.", "合成情景（{kind}）：无数据表。"),
    "no_sources": ("No table of sources in run_meta.json.", "run_meta.json中没有数据来源表。"),
    "default_policy": ("today's resources, default rules", "现有资源，默认规则"),
    # --- run settings ('What was run') ------------------------------------------------------------------
    "k_scenario": ("scenario", "情景"), "k_policy": ("policy", "政策"), "k_settings": ("policy settings", "政策设置"),
    "k_reps": ("replications", "重复次数"), "k_length": ("run length", "运行时长"), "k_seed": ("seed", "随机种子"),
    "k_commit": ("code commit", "代码版本"), "k_python": ("python", "Python"), "k_packages": ("packages", "软件包"),
    "k_hash": ("configuration hash", "配置哈希"), "k_wall": ("wall time", "运行耗时"),
    "v_scenario": ("{name} ({dir}, year {year}, weather {weather})", "{name}（{dir}，{year}年，天气{weather}）"),
    "v_length": ("{h} days, warm-up {w} days", "{h}天，预热期{w}天"), "v_wall": ("{s} s", "{s}秒"),
    # --- table columns --------------------------------------------------------------------------------
    "c_kpi": ("KPI (county)", "指标（全县）"), "c_ratio": ("ratio", "比率"), "c_value": ("value", "现值"),
    "c_target_2025": ("2025 target", "2025年目标"), "c_meets": ("meets target", "是否达标"), "c_gap": ("gap", "差距"),
    "c_target_min": ("target (min)", "目标（分钟）"), "c_ttc": ("time to care, mean (min)", "到达治疗时间均值（分钟）"),
    "c_p90": ("90th pct (min)", "第90百分位（分钟）"), "c_within": ("within target (%)", "目标内比例（%）"),
    "c_within_ci": ("95% interval (%)", "95%置信区间（%）"), "c_in_county": ("in county (%)", "县内救治（%）"),
    "c_out": ("transfers out of county", "转出县外"), "c_delay": ("weather delay per transfer (min)",
                                                              "每次转运天气延误（分钟）"),
    "c_doctor": ("doctor utilisation (%)", "医生利用率（%）"), "c_sea_state": ("sea state", "海况"),
    "c_arrivals": ("arrivals", "患者数"),
    "c_indicator": ("indicator", "指标"), "c_model": ("model (95% interval)", "模型（95%置信区间）"),
    "c_reference": ("reference (range)", "参考值（范围）"), "c_source": ("source", "来源"),
    "c_within_ref": ("within range", "是否在范围内"),
    "c_table": ("table", "数据表"), "c_rows": ("rows", "行数"), "c_cited": ("sources cited", "引用来源"),
    "c_derived": ("rows derived (DER)", "推算行（DER）"), "c_estimate": ("rows with an estimate", "估计行"),
    "c_not_found": ("rows marked NOT FOUND", "标注NOT FOUND的行"),
    "by_condition_county": ("by condition, county", "按病种，全县"), "by_island": ("by island", "按海岛"),
}
LONG_TEXT.update(STRESS_TEXT)
assert not set(SENSITIVITY_TEXT) & set(LONG_TEXT), set(SENSITIVITY_TEXT) & set(LONG_TEXT)  # no key taken twice
LONG_TEXT.update(SENSITIVITY_TEXT)
