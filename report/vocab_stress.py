"""The STRESS-DES model description in both languages (part of :mod:`report.vocab`; assembled by
:mod:`report.stress`). Fields in braces are filled from the run's own records."""

from __future__ import annotations

STRESS_TEXT: dict[str, tuple[str, str]] = {
    "s_h1": ("1. Objectives", "1. 目标"), "s_h2": ("2. Logic", "2. 模型逻辑"), "s_h3": ("3. Data", "3. 数据"),
    "s_h4": ("4. Experimentation", "4. 实验设计"), "s_h5": ("5. Implementation", "5. 实现"),
    "s_purpose": (
        "Purpose: to tell county health planners what a resource policy (doctors, public AEDs, ambulance boats, "
        "hospital and care-home beds, carers, circuit-team visits) buys across an archipelago: minutes from onset to "
        "definitive care, the share of patients inside each condition's target time, the share treated inside the "
        "county, survival of time-critical conditions, and the workload of doctors, beds and boats.",
        "目的：向县级卫生规划人员说明一项资源政策（医生、公共AED、急救艇、住院与养老床位、护理员、巡回医疗）在群岛中能带来什么："
        "从发病到确定性治疗的分钟数、在各病种目标时间内得到治疗的患者比例、县内救治比例、时间敏感病种的存活率，"
        "以及医生、床位和船只的工作负荷。"),
    "s_outputs": (
        "Model outputs (KPIs): per replication, home island and condition — arrivals, completions, wait for the first "
        "clinician, mean and 90th percentile of time to definitive care, share within target, transfers by mode and "
        "out of the county, weather delay, in-county share, expected survival; per facility island — doctor "
        "utilisation, bed occupancy and blocked admissions; per boat base — boat utilisation{extra}.",
        "模型输出（关键指标）：按重复、居住岛和病种——就诊人数、完成人数、等候首诊时间、到达确定性治疗时间的均值和第90百分位、"
        "目标时间内比例、按方式的转运和转出县外人次、天气延误、县内救治比例、预期存活率；按机构所在岛——医生利用率、"
        "床位占用和满床入院；按急救艇基地——急救艇利用率{extra}。"),
    "s_out_ohca": ("; cardiac-arrest counts, shocks within 5 minutes and expected survivors",
                   "；心脏骤停例数、5分钟内除颤和预期存活人数"),
    "s_out_visits": ("; circuit visits planned and made", "；计划与实际巡回医疗次数"),
    "s_out_care": ("; care-home occupancy and waiting list", "；养老床位占用与轮候名单"),
    "s_aim": (
        "Aim of experimentation: compare policies against today's resources (the baseline) on the same patients and "
        "weather (common random numbers), and against the county plan's 2025 targets.",
        "实验目的：在相同的患者和天气下（公共随机数）将各项政策与现有资源（基线）比较，并与县规划的2025年目标比较。"),
    "s_base": (
        "Base model: a discrete-event simulation in SimPy. Patients arrive by a non-homogeneous Poisson process per "
        "island and condition, the rate being residents (plus the month's tourists) by age band × incidence per "
        "1,000 × the month's seasonal factor × the hour's time-of-day weight; arrivals are generated one month at a "
        "time.",
        "基础模型：基于SimPy的离散事件模拟。患者按岛和病种以非齐次泊松过程到达，到达率为各年龄段常住人口（加当月游客）"
        "×千人发病率×当月季节系数×时段权重；到达按月生成。"),
    "s_routine": (
        "Routine patients (primary care, chronic follow-up) on an island with a staffed facility treating the class "
        "are seen there; definitive care starts with the consultation. A share seeks care off the islands on their own.",
        "常规患者（基本医疗、慢病随访）在本岛有医生且能诊治该类疾病的机构就诊；确定性治疗从接诊开始。部分患者自行离岛就医。"),
    "s_urgent": (
        "Urgent patients travel by road to the island's facility and are treated there when it treats the class; "
        "otherwise they are stabilised and transferred to the referral facility, or out of the county for tertiary "
        "needs. At night a facility without night doctors is skipped. Admitted patients take a bed; when the ward is "
        "full the policy boards them or sends them out of the county.",
        "急症患者经公路到达本岛机构，机构能诊治则就地治疗；否则稳定后转往上级机构，需三级医疗者转出县外。"
        "夜间无值班医生的机构被跳过。住院患者占用床位；病房满员时按政策加床或转出县外。"),
    "s_transfers": (
        "Transfers use the fastest available of: a dedicated ambulance boat from a base (dispatch, sail out, load, "
        "sail, hand over, return), the next scheduled sailings planned over the timetable (a seat per leg; a sailing "
        "cancelled by weather makes the patient decide again), or the helicopter (daylight, within its limits). When "
        "nothing can operate the patient waits; that time is the weather delay.",
        "转运选择可用方式中最快者：基地急救艇（调度、出航、接载、航行、交接、返航）、按时刻表的下一班班轮"
        "（每段一个座位；因天气取消的航班使患者重新选择），或直升机（白天、在其限制内）。无任何方式可运行时患者等候，"
        "该时间即天气延误。"),
    "s_weather": (
        "Weather: one county-wide sea state (calm, force 6, 7, 8, 9+ or fog) whose episodes start as a Poisson "
        "process with rates from the month's climatology and last an exponential time; each area adds its wind "
        "offset; a mode is open when wind and visibility are within its limits.",
        "天气：全县统一的海况（平稳、6级、7级、8级、9级以上或雾），其过程按当月气候统计的泊松过程开始、持续时间服从指数分布；"
        "各海区叠加其风力修正；风力和能见度在限制内时该方式可运行。"),
    "s_doctors": (
        "Doctors follow opening hours (day rota) and night rosters with urgent-first priority; wards are beds with "
        "lengths of stay drawn per patient.",
        "医生按门诊时间（日班）和夜班排班工作，急症优先；病房为床位，住院时长按患者抽样。"),
    "s_ohca": (
        "Cardiac arrest: for each arrest the model draws place (home or public), bystander CPR, a shockable rhythm "
        "and the distance to the nearest public AED (AEDs as a Poisson field over the settled area). Time to the "
        "first shock is the earlier of a bystander bringing an AED and the first clinician arriving; survival "
        "follows the scenario's outcome-versus-delay curve, and survivors continue on the urgent pathway.",
        "心脏骤停：模型为每例抽取发生地点（家中或公共场所）、旁观者心肺复苏、可除颤心律及到最近公共AED的距离"
        "（AED视为居住区上的泊松点场）。首次除颤时间取旁观者取来AED与首位医务人员到达二者之早者；存活率按情景的结局-延误曲线计算，"
        "存活者继续急症路径。"),
    "s_circuit": (
        "Circuit teams visit islands without a resident doctor on a monthly schedule, sailing by small ferry; a visit "
        "the weather prevents is postponed by the policy's rule, and routine demand waits in a backlog until the next "
        "visit.",
        "巡回医疗队按月度计划乘小型渡轮巡诊无常驻医生的海岛；因天气无法成行的巡诊按政策规则顺延，常规需求在积压队列中等候下次巡诊。"),
    "s_care": (
        "Elderly care: residents aged 60+ come to need a care-home place at the scenario's rate; they are placed by "
        "the policy's placement rule or wait on a list (some in hospital beds).",
        "养老：60岁及以上居民按情景给定的比率产生养老床位需求；按政策的安置规则入住或进入轮候名单（部分在医院床位中等候）。"),
    "s_simpl": (
        "Simplifications: no per-patient records are kept (statistics are accumulated as the model runs, so memory "
        "stays flat); the 90th percentile comes from a 1-minute histogram up to a day and 15-minute bins after; "
        "outcomes are expected values from outcome-versus-delay curves.",
        "简化：不保存逐个患者的记录（统计量在运行中累计，内存占用恒定）；第90百分位来自一天以内1分钟、之后15分钟分组的直方图；"
        "结局为结局-延误曲线给出的期望值。"),
    "s_place": ("{islands} islands, {facilities} facilities, {care_homes} care homes, {links} directed sea links, "
                "{conditions} condition classes and {destinations} hospitals outside the county",
                "{islands}个海岛、{facilities}个医疗机构、{care_homes}个养老机构、{links}条有向海上航线、"
                "{conditions}类病种和{destinations}家县外医院"),
    "s_place_unknown": ("the scenario's tables", "情景数据表"),
    "s_data": (
        "The scenario '{name}' (folder {dir}, population year {year}, weather '{weather}') holds {place}. Every row "
        "carries its source; the table of sources lists what each table cites and how many of its rows are derived "
        "or estimated. Many values are estimates (see the scenario's README for the list to check first).",
        "情景“{name}”（文件夹{dir}，人口年份{year}，天气“{weather}”）包含{place}。每行数据都注明来源；数据来源表列出各表引用的资料及推算、"
        "估计的行数。许多数值为估计值（需优先核实的清单见情景README）。"),
    "s_policy": ("Policy '{name}': settings it leaves out stay as in the scenario data (today's resources).",
                 "政策“{name}”：未设定的项保持情景数据中的现状资源。"),
    "s_reps": (
        "Replications: {reps}; run length {horizon} days including a warm-up of {warmup} days, after which statistics "
        "start (only patients arriving after the warm-up count; resource areas start at its end).",
        "重复次数：{reps}；运行时长{horizon}天，含{warmup}天预热期，之后开始统计（只计预热期后到达的患者；资源面积从预热期末开始计算）。"),
    "s_seed": (
        "Seed {seed}: every random activity draws from its own named stream derived from the seed, the replication and "
        "the stream name, so two policies run with the same seed see the same patients, weather and lengths of stay "
        "(common random numbers); results do not depend on the number of worker processes.",
        "随机种子{seed}：每项随机活动使用由种子、重复编号和流名派生的独立随机流，因此相同种子下的两项政策面对相同的患者、"
        "天气和住院时长（公共随机数）；结果与并行进程数无关。"),
    "s_intervals": ("Intervals: 95% t-intervals over replications; differences between policies are paired by "
                    "replication.", "区间：各次重复的95% t置信区间；政策间差值按重复配对。"),
    "s_python": ("Python {python} with {versions}; code commit {commit}.", "Python {python}，软件包：{versions}；代码版本{commit}。"),
    "s_code": (
        "The simulation package (sim/) takes validated, immutable scenario, policy and experiment objects and returns "
        "tidy tables; it reads no files and knows no configuration framework. Replications run in parallel processes; "
        "results are written atomically with the resolved configuration and this record, so a run can be repeated "
        "exactly with the same command and seed.",
        "模拟包（sim/）接收经校验的不可变情景、政策和实验对象，返回整齐的数据表；它不读取文件，也不依赖配置框架。"
        "各次重复在并行进程中运行；结果连同解析后的配置和本记录以原子方式写出，因此用相同命令和种子可精确重现。"),
}
