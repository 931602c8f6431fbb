"""The texts of the sensitivity page and figures (part of :mod:`report.vocab`), each as (English, Chinese)."""

from __future__ import annotations

SENSITIVITY_TEXT: dict[str, tuple[str, str]] = {
    # page
    "sens_title": ("Which estimates change the answer: {scenario}", "哪些估计值会改变结论：{scenario}"),
    "sens_sub": ("Sensitivity analysis in {folder}", "敏感性分析，结果目录 {folder}"),
    "h_sens_design": ("What was varied", "变动了哪些输入"),
    "h_sens_findings": ("What matters most", "最重要的输入"),
    "h_sens_table": ("Effects by indicator", "各指标的影响"),
    "h_sens_factors": ("The ranges", "取值范围"),
    "sens_intro_morris": (
        "Morris screening (elementary effects, SALib): {factors} uncertain inputs, each moved across its range "
        "(uncertainty.csv) on a grid of {levels} levels along {trajectories} trajectories: {points} model runs of "
        "{days} days after a {warmup}-day warm-up, {reps} replication(s) each. Every run used the same random "
        "numbers (common random numbers), so an effect is the input's, not chance: an input the model does not "
        "use has an effect of exactly zero. An input that changes which patients arrive also reshuffles the random "
        "numbers after them; an effect is called clear when its interval lies above the noise floor, the μ* of "
        "pure chance (from {noise} replications at the table's values).",
        "Morris筛选法（基本效应，SALib）：{factors}个不确定输入，各自在其取值范围（uncertainty.csv）内按{levels}个水平、"
        "沿{trajectories}条轨迹变动，共{points}次模型运行，每次在{warmup}天预热后模拟{days}天，各{reps}次重复。所有运行使用"
        "相同的随机数（公共随机数），因此效应来自输入本身而非偶然：模型未使用的输入效应恰为零。改变到达患者的输入也会打乱"
        "其后的随机数；效应区间高于噪声下限（纯随机的μ*，由现值下{noise}次重复估计）时才称为明确。"),
    "sens_intro_sobol": (
        "Sobol' variance decomposition (SALib): {factors} inputs (the screening's most important ones), {points} "
        "model runs of {days} days after a {warmup}-day warm-up, {reps} replication(s) each, common random numbers. "
        "S1: share of the indicator's variance due to the input alone; ST: including its interactions.",
        "Sobol方差分解（SALib）：{factors}个输入（筛选中最重要者），共{points}次模型运行，每次在{warmup}天预热后模拟{days}天，"
        "各{reps}次重复，公共随机数。S1：仅由该输入引起的指标方差比例；ST：包括交互作用。"),
    "sens_mu_explained": (
        "μ* is the typical change of an indicator, in its own unit, when one input goes from the low to the high end "
        "of its range while the others lie anywhere in theirs; the interval is a 95% bootstrap interval over the "
        "trajectories. σ is the spread of those changes: a σ near μ* means the effect depends on the other inputs "
        "(interactions) or is not linear.",
        "μ*为某一输入从其范围下限变到上限（其余输入在各自范围内任取）时指标的典型变化量，单位同指标；区间为各轨迹的95% "
        "bootstrap区间。σ为这些变化的离散程度：σ接近μ*表示效应取决于其他输入（交互作用）或非线性。"),
    "sens_sentence": ("{kpi}: depends most on {first}{rest}.", "{kpi}：最主要取决于{first}{rest}。"),
    "sens_then": (", then {names}", "，其次是{names}"),
    "sens_none": ("{kpi}: no input range changes it.", "{kpi}：没有任何输入范围会改变它。"),
    "sens_noisy": (" (not clearly above the noise)", "（未明显超出随机波动）"),
    "sens_nan": ("{kpi}: not analysed (missing at some design points).", "{kpi}：未分析（部分设计点缺少数值）。"),
    "sens_effect": ("{name} (μ* {mu} {unit})", "{name}（μ*为{mu}{unit}）"),
    "sens_effect_st": ("{name} (ST {st})", "{name}（ST为{st}）"),
    "sens_files": ("All indices: sensitivity.csv; every design point's inputs and outputs: sensitivity_points.csv; "
                   "each point's run folder: points/<i>/.",
                   "全部指数见 sensitivity.csv；各设计点的输入与输出见 sensitivity_points.csv；各点的运行目录见 points/<i>/。"),
    "k_sens_method": ("method", "方法"), "k_sens_points": ("design points", "设计点"),
    "k_sens_factors": ("factors (uncertain inputs)", "因子（不确定输入）"),
    "cs_factor": ("input", "输入"), "cs_rows": ("cells", "单元格数"), "cs_range": ("range", "范围"),
    "cs_dist": ("distribution", "分布"), "cs_source": ("source", "来源"), "cs_kpi": ("indicator", "指标"),
    "cs_rank": ("rank", "排名"), "cs_mu_star": ("μ*", "μ*"), "cs_mu_ci": ("μ* 95% interval", "μ* 95%区间"),
    "cs_sigma": ("σ", "σ"), "cs_s1": ("S1", "S1"), "cs_st": ("ST", "ST"),
    # factor labels
    "f_times": ("×{lo}–{hi}", "×{lo}–{hi}"),
    "f_group": ("{group}: {what}", "{group}组：{what}"),
    "f_mixed": ("{n} inputs", "{n}项输入"),
    # figures
    "title_sensitivity_effects": ("Inputs that move {metric} ({condition})", "影响{metric}（{condition}）的输入"),
    "cap_sensitivity_effects": (
        "Bars: μ*, the typical change of the indicator when the input moves across its range (95% bootstrap "
        "interval); colour: whether a higher input raises or lowers the indicator, or either (mixed); diamond: σ, "
        "the spread of the effects (interactions, non-linearity); dotted line: the noise floor, the μ* an input "
        "would show if it only reshuffled the random numbers (from replications at the table's values). The ten "
        "inputs with the largest μ*.",
        "条形：μ*，输入在其范围内变动时指标的典型变化量（95% bootstrap区间）；颜色：输入增大时指标升高、降低或不定（混合）；"
        "菱形：σ，效应的离散程度（交互作用、非线性）；点线：噪声下限，即某输入仅改变随机数时会呈现的μ*"
        "（由现值下的多次重复估计）。列出μ*最大的十项输入。"),
    "title_sensitivity_heatmap": ("Which inputs matter for which indicator", "各输入对各指标的重要性"),
    "cap_sensitivity_heatmap": (
        "μ* of each input for each indicator, divided by the largest μ* of that indicator (1 = the input that "
        "matters most for it); the inputs that matter most for any indicator. Indicators that no input moves are "
        "left out (the findings above name them).",
        "各输入对各指标的μ*除以该指标的最大μ*（1 = 对该指标最重要的输入）；列出对任一指标最重要的输入。"
        "没有任何输入会改变的指标未列出（见上文结论）。"),
    "title_sensitivity_sobol": ("Variance of {metric} ({condition}) by input", "{metric}（{condition}）的方差分解"),
    "cap_sensitivity_sobol": (
        "First-order (S1) and total (ST) Sobol' indices with 95% bootstrap intervals.",
        "一阶（S1）与总效应（ST）Sobol指数及其95% bootstrap区间。"),
    "sens_xlabel": ("μ*: change of the indicator across the input's range ({unit})", "μ*：输入在范围内变动时指标的变化（{unit}）"),
    "sens_raises": ("higher input raises it", "输入增大时升高"), "sens_lowers": ("higher input lowers it", "输入增大时降低"),
    "sens_mixed": ("either way (mixed)", "方向不定（混合）"), "sens_sigma": ("σ (spread of the effects)", "σ（效应离散程度）"),
    "sens_floor": ("noise floor (μ* of pure chance)", "噪声下限（纯随机的μ*）"),
    "sens_norm": ("μ* / largest μ* of the indicator", "μ* / 该指标的最大μ*"),
    "sens_index": ("Sobol' index", "Sobol指数"),
    "why_sens_table": ("no sensitivity.csv in this folder", "此目录中没有 sensitivity.csv"),
}


# uncertainty.csv group -> (en, zh): the name of a factor that moves several cells together
GROUPS: dict[str, tuple[str, str]] = {
    "population": ("population", "人口"), "age_structure": ("age structure", "年龄结构"),
    "geography": ("geography", "地理"), "tourists": ("tourists", "游客"), "local_access": ("local access", "就近可及"),
    "aeds_today": ("AEDs today", "现有AED"), "facilities": ("facilities", "医疗机构"),
    "care_supply": ("care supply", "养老供给"), "crossings": ("crossings", "航渡时间"),
    "sea_limits": ("sea limits", "海况限制"), "boat_ops": ("boat operations", "船艇运行"),
    "wind_f6": ("force-6 wind", "6级风"), "wind_f7": ("force-7 wind", "7级风"), "wind_f8": ("force-8 wind", "8级风"),
    "wind_f9": ("force-9 wind", "9级风"), "fog": ("fog", "大雾"), "weather_episodes": ("weather episodes", "天气过程"),
    "seasonality": ("seasonality", "季节性"), "inc_cardiac_arrest": ("cardiac arrest incidence", "心脏骤停发病率"),
    "care_process": ("care process", "救治流程"), "out_of_county": ("out of county", "县外转诊"),
    "inc_acs": ("ACS incidence", "急性冠脉综合征发病率"), "inc_stroke": ("stroke incidence", "脑卒中发病率"),
    "inc_other_urgent": ("other urgent incidence", "其他急症发病率"), "inc_routine": ("routine incidence", "常规就诊率"),
    "ohca_curves": ("arrest survival curves", "心脏骤停存活曲线"), "stemi_curve": ("STEMI outcome curve", "STEMI结局曲线"),
    "stroke_curve": ("stroke outcome curve", "脑卒中结局曲线"), "trauma_curve": ("trauma outcome curve", "创伤结局曲线"),
    "diurnal": ("time of day", "昼夜分布"), "care_need": ("care need", "养老需求"), "circuit": ("circuit visits", "巡回医疗"),
    "air_rescue": ("air rescue", "空中救援"), "tourist_ages": ("tourists' ages", "游客年龄"),
    "ohca_params": ("arrest parameters", "心脏骤停参数"), "care_params": ("care parameters", "养老参数"),
    "small_island_access": ("small-island access", "小岛就医"),
}
