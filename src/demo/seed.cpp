#include "demo/seed.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "tickets/defaults.h"
#include "tickets/service.h"

namespace kefu {

namespace {

constexpr Millis kSecond = 1000;
constexpr Millis kMinute = 60 * kSecond;
constexpr Millis kHour = 60 * kMinute;
constexpr Millis kDay = 24 * kHour;
constexpr int kHistoryDays = 182;
constexpr int kBatch = 500;            // complaints per transaction
constexpr int kSpikeFirstDay = 112;    // day index (0 = oldest) of the "system fault" week
constexpr int kSpikeDays = 7;

// ---------------------------------------------------------------------------
// Randomness: our own mapping of mt19937_64 output to numbers, so that the
// same seed gives the same data with every standard library.

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : g_(seed) {}
  double U() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }  // [0, 1)
  int Int(int lo, int hi) { return lo + static_cast<int>(U() * (hi - lo + 1)); }  // [lo, hi]
  bool Chance(double p) { return U() < p; }
  double Normal() {
    double u1 = 1.0 - U(), u2 = U();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  // A duration around `median` with a long right tail.
  Millis LogNormal(double median, double sigma) {
    return static_cast<Millis>(median * std::exp(sigma * Normal()));
  }
  size_t Weighted(std::span<const double> w) {
    double total = 0;
    for (double x : w) total += x;
    double r = U() * total;
    for (size_t i = 0; i < w.size(); ++i) {
      if (r < w[i]) return i;
      r -= w[i];
    }
    return w.size() - 1;
  }
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[static_cast<size_t>(U() * static_cast<double>(items.size()))];
  }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return Pick(std::span<const T>(items));
  }

 private:
  std::mt19937_64 g_;
};

// ---------------------------------------------------------------------------
// Vocabulary.

using Sv = std::string_view;

enum Region { kEast, kSouth, kNorth, kSea, kRegionCount };
enum TeamIndex { kTeamEast, kTeamSouth, kTeamNorth, kTeamSea, kTeamVip, kTeamCount };

struct TeamSpec {
  const char* name;
  const char* region;
};
constexpr std::array<TeamSpec, kTeamCount> kTeams = {{
    {"华东", "east-china"},
    {"华南", "south-china"},
    {"华北", "north-china"},
    {"东南亚", "southeast-asia"},
    {"VIP专席", "national"},
}};
constexpr std::array<const char*, kRegionCount> kRegionNames = {"east-china", "south-china", "north-china",
                                                                "southeast-asia"};
constexpr std::array<double, kRegionCount> kRegionWeights = {0.40, 0.25, 0.22, 0.13};

struct UserSpec {
  const char* username;
  const char* display_name;
  Role role;
  std::array<int, 5> teams;  // team indexes, -1 = none
  const char* department;    // key, for liaisons
  double speed;              // multiplier on response and resolution times
  const char* language;
  const char* time_zone;
};
constexpr int kNo = -1;
constexpr std::array<UserSpec, 14> kUsers = {{
    {"admin", "系统管理员", Role::kAdmin, {kNo, kNo, kNo, kNo, kNo}, nullptr, 1.0, "zh-CN", "Asia/Shanghai"},
    {"director", "周敏", Role::kDirector, {kNo, kNo, kNo, kNo, kNo}, nullptr, 1.0, "zh-CN", "Asia/Shanghai"},
    {"supervisor", "吴刚", Role::kSupervisor, {0, 1, 2, 3, 4}, nullptr, 0.8, "zh-CN", "Asia/Shanghai"},
    {"qa", "郑洁", Role::kQa, {kNo, kNo, kNo, kNo, kNo}, nullptr, 1.0, "zh-CN", "Asia/Shanghai"},
    {"liaison.product", "冯涛", Role::kDepartmentLiaison, {kNo, kNo, kNo, kNo, kNo}, "product", 1.0, "zh-CN",
     "Asia/Shanghai"},
    {"liaison.logistics", "何静", Role::kDepartmentLiaison, {kNo, kNo, kNo, kNo, kNo}, "logistics", 1.0, "zh-CN",
     "Asia/Shanghai"},
    {"wangfang", "王芳", Role::kTeamLead, {kTeamEast, kTeamVip, kNo, kNo, kNo}, nullptr, 0.75, "zh-CN", "Asia/Shanghai"},
    {"liqiang", "李强", Role::kAgent, {kTeamEast, kNo, kNo, kNo, kNo}, nullptr, 1.0, "zh-CN", "Asia/Shanghai"},
    {"chenjing", "陈静", Role::kTeamLead, {kTeamSouth, kTeamVip, kNo, kNo, kNo}, nullptr, 0.85, "zh-CN",
     "Asia/Shanghai"},
    {"liuyang", "刘洋", Role::kAgent, {kTeamSouth, kNo, kNo, kNo, kNo}, nullptr, 1.35, "zh-CN", "Asia/Shanghai"},
    {"zhaolei", "赵磊", Role::kTeamLead, {kTeamNorth, kNo, kNo, kNo, kNo}, nullptr, 0.9, "zh-CN", "Asia/Shanghai"},
    {"sunli", "孙丽", Role::kAgent, {kTeamNorth, kNo, kNo, kNo, kNo}, nullptr, 1.15, "zh-CN", "Asia/Shanghai"},
    {"lan.nguyen", "Lan Nguyen", Role::kTeamLead, {kTeamSea, kNo, kNo, kNo, kNo}, nullptr, 1.0, "en",
     "Asia/Ho_Chi_Minh"},
    {"somchai", "Somchai Srisuk", Role::kAgent, {kTeamSea, kNo, kNo, kNo, kNo}, nullptr, 1.5, "th", "Asia/Bangkok"},
}};
constexpr int kUserAdmin = 0, kUserLiaisonProduct = 4, kUserLiaisonLogistics = 5;

// Who handles each team's complaints, with shares; the first is the lead.
struct Staffing {
  std::array<int, 3> users;
  std::array<double, 3> shares;
};
constexpr std::array<Staffing, kTeamCount> kStaffing = {{
    {{6, 7, kNo}, {0.45, 0.55, 0}},
    {{8, 9, kNo}, {0.45, 0.55, 0}},
    {{10, 11, kNo}, {0.45, 0.55, 0}},
    {{12, 13, kNo}, {0.5, 0.5, 0}},
    {{2, 6, 8}, {0.3, 0.35, 0.35}},
}};

// Category keys of the defaults, with a Pareto-ish share.
constexpr std::array<const char*, 9> kCategoryKeys = {"product_quality", "logistics",       "service_attitude",
                                                      "process_obstacle", "staff_skill",    "billing",
                                                      "technical_fault",  "suggestion",     "other"};
enum CategoryIndex { kProduct, kLogistics, kAttitude, kProcess, kSkill, kBilling, kTechnical, kSuggestion, kOther };
constexpr std::array<double, 9> kCategoryWeights = {0.22, 0.26, 0.11, 0.09, 0.05, 0.10, 0.07, 0.07, 0.03};

// In enum order: phone, email, web, chat, social, messaging, app, walk_in, other.
constexpr std::array<double, 9> kChannelWeights = {0.34, 0.10, 0.13, 0.20, 0.05, 0.04, 0.10, 0.03, 0.01};
constexpr std::array<double, 9> kSeaChannelWeights = {0.20, 0.12, 0.10, 0.20, 0.10, 0.20, 0.06, 0.01, 0.01};
constexpr std::array<double, 9> kFaultChannelWeights = {0.30, 0.05, 0.20, 0.15, 0.05, 0.03, 0.22, 0.0, 0.0};

// Local hour of day (UTC+8) when complaints come in.
constexpr std::array<double, 24> kHourWeights = {0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 3.0, 6.0, 7.5, 7.0,
                                                 4.5, 5.0, 6.5, 7.0, 6.5, 5.0, 3.5, 3.5, 4.0, 3.5, 2.0, 1.0};
constexpr std::array<double, kSpikeDays> kSpikeShape = {1.6, 2.6, 2.4, 1.9, 1.5, 1.3, 1.15};

constexpr std::array<Sv, 30> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                          "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                                          "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
constexpr std::array<Sv, 30> kSurnamesPinyin = {"wang", "li",   "zhang", "liu",   "chen", "yang", "huang", "zhao",
                                                "wu",   "zhou", "xu",    "sun",   "ma",   "zhu",  "hu",    "guo",
                                                "he",   "gao",  "lin",   "luo",   "zheng", "liang", "xie", "song",
                                                "tang", "xu",   "han",   "feng",  "deng", "cao"};
constexpr std::array<Sv, 32> kGivenNames = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋",
                                            "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚",
                                            "桂英", "晓东", "子涵", "浩然", "欣怡", "宇轩", "梓萱", "思远", "建国", "海燕"};
constexpr std::array<Sv, 32> kGivenPinyin = {"wei",    "fang",   "na",     "xiuying", "min",    "jing",  "li",
                                             "qiang",  "lei",    "jun",    "yang",    "yong",   "yan",   "jie",
                                             "juan",   "tao",    "ming",   "chao",    "xiulan", "xia",   "ping",
                                             "gang",   "guiying", "xiaodong", "zihan", "haoran", "xinyi", "yuxuan",
                                             "zixuan", "siyuan", "jianguo", "haiyan"};
constexpr std::array<Sv, 8> kThaiNames = {"Somsak Chaiyaporn", "Siriporn Kaewmanee", "Nattapong Suksawat",
                                          "Pimchanok Rattanakul", "Anan Thongdee", "Kanya Wongsakul",
                                          "Chaiwat Boonmee", "Malee Srisawat"};
constexpr std::array<Sv, 8> kVietNames = {"Nguyen Van An", "Tran Thi Mai", "Le Minh Tuan", "Pham Thu Ha",
                                          "Hoang Duc Anh", "Vu Thi Lan", "Dang Quoc Bao", "Bui Thanh Huong"};
constexpr std::array<Sv, 8> kEnglishNames = {"Tan Wei Ming", "Siti Rahmawati", "Budi Santoso", "Michael Lim",
                                             "Nur Aisyah", "Jason Goh", "Rachel Ong", "Ahmad Faizal"};
constexpr std::array<Sv, 6> kEmailDomains = {"qq.com", "163.com", "126.com", "sina.com", "gmail.com", "outlook.com"};
constexpr std::array<Sv, 3> kEmailDomainsSea = {"gmail.com", "yahoo.com", "outlook.com"};
constexpr std::array<Sv, 10> kPhonePrefixes = {"138", "139", "136", "137", "150", "151", "186", "135", "158", "188"};

struct Company {
  Sv name;
  Sv domain;
};
constexpr std::array<Company, 8> kCompanies = {{
    {"上海华联商贸有限公司", "hualian-trade.cn"},
    {"杭州云帆科技有限公司", "yunfan-tech.cn"},
    {"广州南方物产集团", "nanfang-group.cn"},
    {"深圳启明电子有限公司", "qiming-elec.cn"},
    {"北京京华酒店管理有限公司", "jinghua-hotels.cn"},
    {"天津海港物流有限公司", "haigang-logistics.cn"},
    {"Siam Retail Co., Ltd.", "siamretail.co.th"},
    {"Saigon Home Appliances JSC", "saigonhome.vn"},
}};

constexpr std::array<std::array<Sv, 6>, kRegionCount> kCities = {{
    {"上海", "杭州", "南京", "苏州", "宁波", "合肥"},
    {"广州", "深圳", "厦门", "南宁", "海口", "佛山"},
    {"北京", "天津", "石家庄", "太原", "济南", "青岛"},
    {"Bangkok", "Ho Chi Minh City", "Singapore", "Kuala Lumpur", "Jakarta", "Hanoi"},
}};
constexpr std::array<Sv, 12> kProducts = {"空气净化器", "扫地机器人", "电热水壶", "蓝牙耳机", "智能手表", "洗衣机",
                                          "电饭煲",     "吹风机",     "笔记本电脑", "手机",   "空调",     "冰箱"};
constexpr std::array<Sv, 12> kProductsEn = {"air purifier", "robot vacuum", "electric kettle", "Bluetooth earbuds",
                                            "smart watch",  "washing machine", "rice cooker",   "hair dryer",
                                            "laptop",       "phone",        "air conditioner", "refrigerator"};
constexpr std::array<Sv, 5> kCouriers = {"顺丰", "中通", "圆通", "京东物流", "韵达"};
constexpr std::array<Sv, 4> kCouriersSea = {"Kerry Express", "J&T Express", "Ninja Van", "Flash Express"};
constexpr std::array<Sv, 10> kTags = {"催单", "退款", "换货", "差评", "12315", "媒体曝光风险", "大促", "批次问题",
                                      "夜间来电", "老客户"};

struct Tpl {
  Sv subject;
  Sv body;
};

// Chinese complaints by category.
const std::array<std::vector<Tpl>, 9> kZh = {{
    {{"{product}收到后无法开机",
      "{days}天前在官方商城买的{product}（订单号{order}），收到后插上电源完全没有反应，换了插座也一样。要求尽快换货。"},
     {"{product}使用{days}天就出现故障",
      "{product}刚用了{days}天就频繁死机重启，售后电话一直打不通。这么短时间就出问题，质量太差了，希望给个说法。"},
     {"{product}外观有明显划痕",
      "今天收到{product}，拆开发现机身有好几道划痕，边角还有磕碰，明显不是新品。订单号{order}，请核实处理。"},
     {"收到的{product}与页面描述不符",
      "页面写的是{product}旗舰款，收到的却是基础款，配件也少了。订单{order}，金额{amount}元，要求补发或退差价。"},
     {"{product}有异响和焦味",
      "新买的{product}一开机就有很大的异响，还有一股塑料烧焦的味道，不敢再用了。担心安全问题，请尽快处理。"}},
    {{"订单{order}超时未送达",
      "订单{order}承诺{days}天内送达，现在已经超时好几天了，物流信息一直停在{city}转运中心。请帮忙催一下。"},
     {"物流显示已签收但本人未收到",
      "{courier}显示包裹昨天已签收，但我本人和家人都没有收到，也没有接到任何电话。订单号{order}，请尽快核实。"},
     {"包裹外包装破损，商品受损",
      "今天收到的包裹外箱破了一个大洞，里面的{product}也摔坏了。快递员催着签收，没来得及当面检查。"},
     {"配送员未经同意放快递柜",
      "我备注了送货上门，{courier}的配送员没打电话就直接放到了快递柜，东西很重我一个人搬不动。"},
     {"物流信息{days}天没有更新", "下单已经一周了，物流信息{days}天没有任何更新，客服只会让我等。订单号{order}。"}},
    {{"客服态度差，多次挂断电话", "我打了三次客服热线，每次说不到两句就被挂断，态度非常差。希望公司严肃处理。"},
     {"门店店员态度恶劣",
      "在{city}门店咨询{product}的售后问题，店员爱答不理，还说让我自己去网上查。体验非常糟糕。"},
     {"热线等待时间过长", "拨打客服热线排队等了四十多分钟都没有人接，浪费了我大量时间。"},
     {"客服互相推诿不解决问题",
      "同一个问题找了三个客服，每个人都说不归自己管，让我找别的部门，到现在也没人解决。"}},
    {{"退款流程太繁琐", "申请退款要填一大堆资料，提交了三次都被驳回，理由也说不清楚。订单{order}。"},
     {"发票一直无法申请", "订单{order}已经完成{days}天了，在App里申请发票一直提示失败，请帮忙开具增值税发票。"},
     {"换货需要重复提交材料", "换货时已经上传过照片和视频了，现在又让我重新提交一遍，流程太不合理。"},
     {"找不到会员注销入口", "想注销会员账号，App和网站都找不到入口，客服也说不清楚怎么操作。"},
     {"退货审核超过{days}天无结果", "退货申请提交了{days}天，状态一直是审核中，没有任何人联系我。订单{order}。"}},
    {{"客服给出错误信息", "之前咨询客服说{product}支持七天无理由退货，结果申请时被告知不支持，客服业务不熟练。"},
     {"安装师傅操作不规范", "上门安装{product}的师傅没有按说明书操作，把墙面打坏了，还不承认。"},
     {"售后工程师未能解决问题", "工程师上门检修了两次{product}，问题还是没有解决，感觉对产品并不了解。"}},
    {{"重复扣款{amount}元",
      "订单{order}付款时被扣了两次，每次{amount}元，银行卡流水可以证明，请尽快退还多扣的钱。"},
     {"优惠券未生效多付了钱", "下单时明明勾选了满减优惠券，结算却没有抵扣，多付了{amount}元。"},
     {"退款{amount}元迟迟未到账", "订单{order}的退款{amount}元显示已退回，但{days}天了银行卡还没有收到。"},
     {"自动续费未经同意扣费", "我从未开通过自动续费，这个月却被扣了{amount}元会员费，要求退款并关闭。"},
     {"账单金额与订单不符", "月度账单上显示的金额比我实际下单的多了{amount}元，请核实明细。"}},
    {{"App登录后闪退", "更新到最新版本后，App一登录就闪退，重装了好几次也没用，影响正常下单。"},
     {"支付页面一直转圈无法付款",
      "在支付页面点击付款后一直转圈，等了几分钟提示超时，但银行卡好像已经扣款了。订单{order}。"},
     {"网站下单提示系统错误", "在官网下单时提示“系统繁忙，请稍后再试”，试了一个下午都不行。"},
     {"收不到短信验证码", "登录和找回密码都需要验证码，但手机一直收不到短信，已经试了十几次。"},
     {"订单页面显示异常", "我的订单页面一片空白，看不到任何历史订单，换了手机和电脑都一样。"}},
    {{"建议增加夜间配送时段", "上班族白天不在家，建议增加晚上7点到10点的配送时段。"},
     {"希望App支持深色模式", "晚上使用App太刺眼了，建议增加深色模式。"},
     {"建议客服热线增加方言服务", "家里老人普通话不太好，建议热线增加粤语等方言服务。"},
     {"希望推出以旧换新活动", "家里的旧{product}还能用，希望能推出以旧换新的活动。"},
     {"建议使用更环保的包装", "每次收货都有大量泡沫和塑料，建议改用可回收的环保包装。"}},
    {{"咨询发票抬头修改", "开票时抬头填错了，想咨询一下能不能修改。订单{order}。"},
     {"营销短信太多", "每天都收到好几条营销短信，退订了还在发，严重打扰生活。"},
     {"会员积分莫名清零", "账户里原来有两千多积分，今天登录发现全部清零了，没有任何通知。"},
     {"门店营业时间与官网不符", "官网写{city}门店营业到晚上9点，我8点去的时候已经关门了。"}},
}};

// English complaints (Southeast Asia) by category.
const std::array<std::vector<Tpl>, 9> kEn = {{
    {{"{product} stopped working after {days} days",
      "I bought the {product} {days} days ago (order {order}) and it has stopped working completely. I would like a "
      "replacement as soon as possible."},
     {"{product} arrived with scratches",
      "The {product} I received today has several scratches and a dent on the corner. It does not look new. Order "
      "{order}."}},
    {{"Order {order} not delivered yet",
      "My order {order} was supposed to arrive {days} days ago. Tracking has not updated since it left the {city} hub."},
     {"Parcel marked as delivered but not received",
      "{courier} shows my parcel as delivered yesterday, but nobody at home received it. Please check. Order {order}."},
     {"Parcel arrived damaged", "The box was crushed and the {product} inside is broken."}},
    {{"Rude response from support", "The agent on the hotline was rude and hung up on me twice."},
     {"Waited too long on the hotline", "I waited more than 40 minutes on the hotline and nobody answered."}},
    {{"Refund process is too complicated",
      "I have submitted my refund request for order {order} three times and it keeps getting rejected without a clear "
      "reason."},
     {"Cannot request an invoice", "The app shows an error every time I try to request a tax invoice for order {order}."}},
    {{"Technician could not fix the problem",
      "The technician visited twice but the {product} still does not work properly."}},
    {{"Charged twice for order {order}",
      "I was charged {amount} twice for order {order}. Please refund the duplicate payment."},
     {"Refund not received after {days} days",
      "The refund of {amount} for order {order} shows as completed, but I have not received it after {days} days."}},
    {{"App crashes after login", "Since the latest update the app crashes right after I log in. Reinstalling did not help."},
     {"Payment page keeps loading",
      "The payment page keeps loading and then times out, but my card seems to have been charged. Order {order}."},
     {"Not receiving OTP codes", "I cannot log in because the verification SMS never arrives."}},
    {{"Please add cash on delivery",
      "Many customers here prefer cash on delivery. Please consider adding it as a payment option."},
     {"Suggestion: weekend delivery slots", "It would help a lot if you offered delivery on Saturday and Sunday."}},
    {{"Question about membership points",
      "My membership points disappeared after the last update. Can you check my account?"},
     {"Too many promotional messages", "I keep receiving promotional messages even after unsubscribing."}},
}};

// A few complaints in Thai and Vietnamese, for the categories they use most.
const std::array<Tpl, 3> kTh = {{
    {"สินค้ามีปัญหา ต้องการเปลี่ยนสินค้า",
     "คำสั่งซื้อ {order} สินค้าใช้งานไม่ได้ตั้งแต่วันแรก รบกวนช่วยตรวจสอบและเปลี่ยนสินค้าให้ด้วยค่ะ"},
    {"ยังไม่ได้รับพัสดุ", "คำสั่งซื้อ {order} สถานะขึ้นว่าจัดส่งแล้ว แต่ยังไม่ได้รับพัสดุเลยครับ"},
    {"ถูกตัดเงินซ้ำสองครั้ง", "คำสั่งซื้อ {order} ถูกตัดเงินสองครั้ง ครั้งละ {amount} บาท กรุณาคืนเงินด้วยค่ะ"},
}};
const std::array<Tpl, 3> kVi = {{
    {"Sản phẩm bị lỗi, muốn đổi hàng",
     "Đơn hàng {order}: sản phẩm bị lỗi sau {days} ngày sử dụng. Vui lòng hỗ trợ đổi hàng giúp tôi."},
    {"Đơn hàng giao chậm", "Đơn hàng {order} đã quá hạn giao nhưng tôi vẫn chưa nhận được hàng."},
    {"Bị trừ tiền hai lần", "Tôi bị trừ tiền hai lần cho đơn hàng {order}, mỗi lần {amount}. Xin hoàn lại giúp tôi."},
}};

struct Replies {
  std::vector<Sv> ack, ask, info, no_reply, reopen, reopen_ack, after_handoff, notes, call_in, call_back;
  std::array<Sv, 9> resolve;
  std::array<Sv, 3> handoff_question;                  // product, logistics, technology
  std::array<std::array<Sv, 2>, 3> handoff_answer;
};

const Replies kRepliesZh = {
    {"您好，我是客服{agent}，非常抱歉给您带来不便。您反映的问题已经记录，我们正在核实，请您稍等。",
     "您好，感谢您的耐心等待。已收到您的反馈，我这边马上为您跟进处理。",
     "{customer}您好，您反映的问题我们非常重视，已安排专人跟进，会在24小时内给您答复。"},
    {"为了尽快为您处理，麻烦提供一下商品照片和订单截图，谢谢配合。",
     "请问方便提供一下收货地址和联系电话吗？我们需要与快递公司核实。",
     "麻烦您确认一下扣款时间和银行卡尾号，以便我们进一步核查。"},
    {"照片和截图已经上传了，请查收。", "地址在{city}，电话就是下单时留的手机号。", "是昨天下午扣的款，银行卡尾号{digits}。"},
    {"由于多次联系您未得到回复，本次投诉先做已解决处理，如有需要可随时回复重新打开。"},
    {"问题还是没有解决，请再帮我处理一下。", "说好的处理结果到现在还没有落实。", "换来的新货还是同样的问题，太失望了。"},
    {"非常抱歉问题还没有彻底解决，我马上重新为您跟进。"},
    {"您好，相关部门已经核实了您的问题，我们会按照核实结果尽快为您处理。"},
    {"客户情绪比较激动，已安抚，注意跟进。", "已联系{courier}核实物流轨迹。", "同批次已有多起类似投诉，建议上报产品部。",
     "客户要求升级处理，已告知组长。", "已查询订单{order}支付流水，确认存在异常。"},
    {"客户来电反映：{subject}。已记录问题并告知处理时限。"},
    {"回访客户，告知处理进展，客户表示认可。", "致电客户核实情况，客户表示会等待处理结果。"},
    {"您好，已为您办理换货，新的{product}预计{days}天内送达，请注意查收。给您带来的不便深表歉意。",
     "您好，已联系{courier}重新派送，包裹预计明天送达，同时为您申请了{coupon}元补偿券。",
     "您好，您反映的情况我们已经严肃处理并对相关人员进行了培训，再次向您致歉。",
     "您好，已为您走绿色通道处理完毕，后续如再遇到类似问题可直接联系我。",
     "您好，已安排资深工程师重新上门处理，问题已经解决，感谢您的理解。",
     "您好，多扣的{amount}元已原路退回，预计1-3个工作日到账，请留意。",
     "您好，系统问题已经修复，请您更新到最新版本后重新尝试，如仍有问题请随时联系我们。",
     "您好，您的建议我们已转交相关部门评估，感谢您的宝贵意见！",
     "您好，您咨询的问题已处理完毕，如有其他问题欢迎随时联系我们。"},
    {"客户反映{product}存在质量问题（订单{order}），请确认该批次是否有已知缺陷，并给出换货或维修意见。",
     "请核实订单{order}的配送轨迹，客户称未收到货或包裹破损，请给出处理方案。",
     "客户反馈系统异常（订单{order}），请排查是否与近期系统故障有关。"},
    {{{"经核实，该批次存在少量质量问题，同意为客户免费换新。", "检测报告显示为个别故障，同意按保修政策维修或换货。"},
      {"已联系承运商，包裹滞留在中转站，已安排加急派送，预计明天送达。", "经核实包裹已丢失，同意按商品原价赔付。"},
      {"已定位问题，为支付网关超时导致，已修复并完成补单。", "问题已在最新版本中修复，请引导客户更新App。"}}},
};

const Replies kRepliesEn = {
    {"Hello, this is {agent}. We are sorry for the trouble. We have recorded your complaint and are looking into it.",
     "Hi {customer}, thank you for reaching out. I am following up on this for you right away."},
    {"Could you please send us a photo of the item and a screenshot of your order?",
     "Could you confirm your delivery address and phone number so we can check with the courier?"},
    {"I have uploaded the photos.", "The address is in {city}, same phone number as on the order."},
    {"As we did not hear back from you, we are marking this case as resolved. Just reply to reopen it."},
    {"The problem is still not solved. Please check again.", "I still have not received what you promised."},
    {"We are sorry the issue is not fully solved. I will follow up again right away."},
    {"The responsible department has checked your case. We will now settle it based on their findings."},
    {"Customer is upset, please follow up closely.", "Checked the tracking with {courier}.",
     "Similar complaints about the same batch, escalating to product."},
    {"Inbound call: {subject}. Logged the case and explained the next steps."},
    {"Called the customer back with an update; customer agreed to wait."},
    {"We have arranged a replacement {product}. It should arrive within {days} days.",
     "We have asked {courier} to redeliver your parcel; it should arrive tomorrow.",
     "We have addressed this with the team involved and apologise again for the experience.",
     "Your request has been processed through our priority channel.",
     "A senior technician has fixed the problem. Thank you for your patience.",
     "The duplicate charge of {amount} has been refunded to your original payment method.",
     "The technical issue has been fixed. Please update the app and try again.",
     "Thank you for your suggestion. We have passed it on to the responsible team.",
     "Your case has been resolved. Please contact us again if you need anything else."},
    {"Customer reports a quality problem with the {product} (order {order}). Is this a known issue of the batch? "
     "Please advise on replacement or repair.",
     "Please check the delivery of order {order}: the customer reports the parcel missing or damaged.",
     "Customer reports a system error (order {order}). Please check whether it is related to the recent incident."},
    {{{"Confirmed: a small number of units in this batch are faulty. Approved a free replacement.",
       "Isolated fault; approved repair or replacement under warranty."},
      {"The parcel was held at the hub; express redelivery arranged for tomorrow.",
       "The parcel is lost; approved compensation at the full item price."},
      {"Root cause found (payment gateway timeout); fixed and the order was completed.",
       "Fixed in the latest app version; please ask the customer to update."}}},
};

// Placeholder values for one complaint.
struct Vars {
  std::string product, order, days, amount, city, courier, agent, customer, digits, coupon, subject;
};

std::string Fill(Sv tpl, const Vars& v) {
  std::string out;
  out.reserve(tpl.size() + 32);
  size_t i = 0;
  while (i < tpl.size()) {
    size_t open = tpl.find('{', i);
    if (open == Sv::npos) break;
    size_t close = tpl.find('}', open);
    if (close == Sv::npos) break;
    out.append(tpl.substr(i, open - i));
    Sv key = tpl.substr(open + 1, close - open - 1);
    const std::string* value = key == "product"    ? &v.product
                               : key == "order"    ? &v.order
                               : key == "days"     ? &v.days
                               : key == "amount"   ? &v.amount
                               : key == "city"     ? &v.city
                               : key == "courier"  ? &v.courier
                               : key == "agent"    ? &v.agent
                               : key == "customer" ? &v.customer
                               : key == "digits"   ? &v.digits
                               : key == "coupon"   ? &v.coupon
                               : key == "subject"  ? &v.subject
                                                   : nullptr;
    if (value)
      out += *value;
    else
      out.append(tpl.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(tpl.substr(i));
  return out;
}

// ---------------------------------------------------------------------------
// The department as created in the store.

struct AgentInfo {
  Id id = 0;
  std::string username;
  std::string display_name;
  double speed = 1.0;
  bool english = false;
};

struct CustomerInfo {
  Customer record;  // id set once inserted
  int region = kEast;
  bool inserted = false;
  int tickets = 0;
  std::optional<Id> last_ticket_id;
  std::string last_number;
  std::optional<Millis> last_closed_at;
};

struct World {
  Millis now = 0;
  std::array<Team, kTeamCount> teams;
  std::array<AgentInfo, kUsers.size()> users;
  std::array<std::optional<Id>, 9> categories;  // by kCategoryKeys index
  Id dep_product = 0, dep_logistics = 0, dep_technology = 0;
  std::array<TicketState, 7> states;            // default state of each type
  std::vector<CustomerInfo> customers;
  std::vector<int> ticket_customers;            // customer index of every complaint so far (for repeats)
};

// ---------------------------------------------------------------------------
// One complaint's life, simulated up to `now`.

struct PlannedEvent {
  TicketEvent e;
  int message = -1;        // message_added: index into messages; `to` becomes its id
  int handoff = -1;        // handoff_answered: index into handoffs
  bool on_previous = false;  // the "linked" event on the customer's previous complaint
};

struct Plan {
  Ticket t;
  int customer = 0;
  std::vector<Message> messages;
  std::vector<Handoff> handoffs;
  std::vector<PlannedEvent> events;
  std::optional<Id> link_previous;  // link "related" both ways to this complaint
  Millis link_at = 0;
};

class Life {
 public:
  Life(Plan& p, const World& w) : p_(p), w_(w) {}

  bool stopped() const { return stopped_; }
  Millis cur() const { return cur_; }

  // Moves to time t (never backwards); stops the story when t is past now.
  bool At(Millis t) {
    if (stopped_) return false;
    t = std::max(t, cur_);
    if (t > w_.now) {
      stopped_ = true;
      return false;
    }
    cur_ = t;
    return true;
  }

  void Event(AuthorKind kind, std::optional<Id> actor, std::string type, std::string field = {}, std::string from = {},
             std::string to = {}) {
    if (stopped_) return;
    PlannedEvent pe;
    pe.e.at = cur_;
    pe.e.actor_kind = kind;
    pe.e.actor_id = kind == AuthorKind::kAgent ? actor : std::nullopt;
    pe.e.type = std::move(type);
    pe.e.field = std::move(field);
    pe.e.from = std::move(from);
    pe.e.to = std::move(to);
    p_.events.push_back(std::move(pe));
    p_.t.updated_at = cur_;
  }

  void Msg(MessageKind kind, AuthorKind author, std::optional<Id> author_id, Channel channel, std::string body,
           std::optional<CallDirection> dir = std::nullopt, std::optional<std::int64_t> duration = std::nullopt) {
    if (stopped_) return;
    Message m;
    m.kind = kind;
    m.author_kind = author;
    m.author_id = author == AuthorKind::kAgent ? author_id : std::nullopt;
    m.channel = channel;
    m.body = std::move(body);
    m.call_direction = dir;
    m.call_duration_seconds = duration;
    m.created_at = cur_;
    p_.messages.push_back(std::move(m));
    Event(author == AuthorKind::kCustomer ? AuthorKind::kCustomer : AuthorKind::kAgent, author_id, "message_added",
          std::string(Name(kind)));
    p_.events.back().message = static_cast<int>(p_.messages.size()) - 1;
    if (author == AuthorKind::kAgent && kind != MessageKind::kNote && !p_.t.first_response_at)
      p_.t.first_response_at = cur_;
  }

  void State(StateType to, AuthorKind kind, std::optional<Id> actor) {
    if (stopped_ || p_.t.state_type == to) return;
    StateType from = p_.t.state_type;
    bool reopen = from == StateType::kResolved && to == StateType::kOpen;
    if (reopen) {
      p_.t.reopen_count++;
      p_.t.resolved_at.reset();
      Event(kind, actor, "reopened");
    }
    p_.t.state_type = to;
    p_.t.state_id = w_.states[static_cast<size_t>(to)].id;
    if (to == StateType::kResolved) p_.t.resolved_at = cur_;
    if (to == StateType::kClosed) p_.t.closed_at = cur_;
    Event(kind, actor, "state_changed", "state", std::string(Name(from)), std::string(Name(to)));
  }

  // Returns the index of the new hand-off, or -1 when the story has stopped.
  int CreateHandoff(Id department, Sv key, std::string question, Millis due, std::optional<Id> owner, Id by) {
    if (stopped_) return -1;
    Handoff h;
    h.department_id = department;
    h.question = std::move(question);
    h.due_at = due;
    h.owner_id = owner;
    h.created_by = by;
    h.created_at = cur_;
    p_.handoffs.push_back(std::move(h));
    Event(AuthorKind::kAgent, by, "handoff_created", "department", "", std::string(key));
    return static_cast<int>(p_.handoffs.size()) - 1;
  }

  void AnswerHandoff(int index, std::string answer, std::optional<Id> by) {
    if (stopped_ || index < 0) return;
    Handoff& h = p_.handoffs[static_cast<size_t>(index)];
    h.state = HandoffState::kAnswered;
    h.answer = std::move(answer);
    h.answered_at = cur_;
    h.answered_by = by;
    Event(by ? AuthorKind::kAgent : AuthorKind::kSystem, by, "handoff_answered", "handoff");
    p_.events.back().handoff = index;
  }

 private:
  Plan& p_;
  const World& w_;
  Millis cur_ = 0;
  bool stopped_ = false;
};

// Pushes an agent's action into working hours (08:30–21:30 local).
Millis Work(Rng& rng, Millis t, int tz_hours) {
  Millis local = t + tz_hours * kHour;
  Millis of_day = ((local % kDay) + kDay) % kDay;
  Millis day_start = t - of_day;
  if (of_day < 8 * kHour + 30 * kMinute) return day_start + 8 * kHour + 30 * kMinute + rng.Int(0, 90) * kMinute;
  if (of_day >= 21 * kHour + 30 * kMinute)
    return day_start + kDay + 8 * kHour + 30 * kMinute + rng.Int(0, 90) * kMinute;
  return t;
}

// Pushes a customer's action into waking hours (07:00–23:00 local).
Millis Awake(Rng& rng, Millis t, int tz_hours) {
  Millis local = t + tz_hours * kHour;
  Millis of_day = ((local % kDay) + kDay) % kDay;
  Millis day_start = t - of_day;
  if (of_day < 7 * kHour) return day_start + 7 * kHour + rng.Int(0, 240) * kMinute;
  if (of_day >= 23 * kHour) return day_start + kDay + 7 * kHour + rng.Int(0, 240) * kMinute;
  return t;
}

std::string Digits(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng.Int(0, 9));
  return s;
}

// A new customer of the given index (the index makes phones, emails and
// external ids unique).
CustomerInfo NewCustomer(Rng& rng, int index, Millis at) {
  CustomerInfo ci;
  Customer& c = ci.record;
  ci.region = static_cast<int>(rng.Weighted(kRegionWeights));
  double tier = rng.U();
  c.tier = tier < 0.05 ? Tier::kVip : tier < 0.10 ? Tier::kEnterprise : Tier::kRegular;
  c.region = kRegionNames[static_cast<size_t>(ci.region)];
  const auto scrambled = static_cast<std::uint64_t>(index) * 7919 + 1234567;
  std::string email_user;
  if (ci.region != kSea) {
    size_t s = static_cast<size_t>(rng.U() * kSurnames.size());
    size_t g = static_cast<size_t>(rng.U() * kGivenNames.size());
    c.name = std::string(kSurnames[s]) + std::string(kGivenNames[g]);
    email_user = fmt::format("{}{}{}", kSurnamesPinyin[s], kGivenPinyin[g], index);
    c.language = "zh-CN";
    c.time_zone = "Asia/Shanghai";
    if (rng.Chance(0.93)) c.phone = fmt::format("{}{:08}", rng.Pick(kPhonePrefixes), scrambled % 100000000);
  } else {
    double which = rng.U();
    if (which < 0.3) {
      c.name = rng.Pick(kThaiNames);
      c.language = "th";
      c.time_zone = "Asia/Bangkok";
      if (rng.Chance(0.9)) c.phone = fmt::format("+668{:08}", scrambled % 100000000);
    } else if (which < 0.6) {
      c.name = rng.Pick(kVietNames);
      c.language = "vi";
      c.time_zone = "Asia/Ho_Chi_Minh";
      if (rng.Chance(0.9)) c.phone = fmt::format("+849{:08}", scrambled % 100000000);
    } else {
      c.name = rng.Pick(kEnglishNames);
      c.language = "en";
      bool sg = rng.Chance(0.5);
      c.time_zone = sg ? "Asia/Singapore" : "Asia/Kuala_Lumpur";
      if (rng.Chance(0.85))
        c.phone = sg ? fmt::format("+659{:07}", scrambled % 10000000) : fmt::format("+601{:08}", scrambled % 100000000);
    }
    email_user = fmt::format("customer{}", index);
    for (char ch : c.name)
      if (ch != ' ' && ch != '.') email_user += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (c.tier == Tier::kEnterprise) {
    const Company& co = ci.region == kSea ? kCompanies[6 + static_cast<size_t>(rng.Int(0, 1))]
                                          : kCompanies[static_cast<size_t>(rng.Int(0, 5))];
    c.organization = std::string(co.name);
    if (rng.Chance(0.9)) c.email = fmt::format("{}@{}", email_user, co.domain);
    if (rng.Chance(0.6)) c.external_id = fmt::format("CRM-{:06}", index);
  } else {
    if (rng.Chance(c.phone ? 0.3 : 1.0)) c.email = fmt::format("{}@{}", email_user, ci.region == kSea ? rng.Pick(kEmailDomainsSea) : rng.Pick(kEmailDomains));
    if (c.tier == Tier::kVip && rng.Chance(0.4)) c.external_id = fmt::format("VIP-{:06}", index);
  }
  if (c.phone) c.phone = NormalizePhone(*c.phone);
  c.created_at = c.updated_at = at;
  return ci;
}

struct Seeder {
  Rng rng;
  World& w;

  // Picks the complaint's customer: a new one about 30% of the time,
  // otherwise someone who complained before (frequent complainers more often).
  int ChooseCustomer(Millis at) {
    if (w.ticket_customers.empty() || rng.Chance(0.30)) {
      int index = static_cast<int>(w.customers.size());
      w.customers.push_back(NewCustomer(rng, index, at));
      return index;
    }
    return rng.Pick(std::span<const int>(w.ticket_customers));
  }

  Plan Make(Millis created_at, bool spike) {
    Plan p;
    p.customer = ChooseCustomer(created_at);
    w.ticket_customers.push_back(p.customer);
    CustomerInfo& ci = w.customers[static_cast<size_t>(p.customer)];
    const Customer& cust = ci.record;
    Ticket& t = p.t;
    t.created_at = created_at;

    // Where it goes.
    int team = ci.region == kSea                                 ? kTeamSea
               : (cust.tier == Tier::kVip && rng.Chance(0.85)) ? kTeamVip
                                                               : ci.region;
    const Staffing& staff = kStaffing[static_cast<size_t>(team)];
    int handler = staff.users[rng.Weighted(staff.shares)];
    const AgentInfo& agent = w.users[static_cast<size_t>(handler)];
    const AgentInfo& lead = w.users[static_cast<size_t>(staff.users[0])];
    const int tz = team == kTeamSea ? 7 : 8;
    const bool english = team == kTeamSea;

    // What it is about.
    size_t cat = spike && rng.Chance(0.55) ? size_t{kTechnical} : rng.Weighted(kCategoryWeights);
    if (w.categories[cat]) t.category_id = w.categories[cat];
    t.channel = static_cast<Channel>(rng.Weighted(english                        ? std::span<const double>(kSeaChannelWeights)
                                                  : spike && cat == kTechnical ? std::span<const double>(kFaultChannelWeights)
                                                                               : std::span<const double>(kChannelWeights)));
    if (cat == kSuggestion) {
      t.severity = Severity::kSuggestion;
    } else {
      double s = rng.U();
      t.severity = s < 0.107 ? Severity::kSevere : s < 0.86 ? Severity::kNormal : Severity::kSuggestion;
      if (spike && cat == kTechnical && rng.Chance(0.3)) t.severity = Severity::kSevere;
    }
    double pr = rng.U();
    switch (t.severity) {
      case Severity::kSevere: t.priority = pr < 0.4 ? Priority::kUrgent : Priority::kHigh; break;
      case Severity::kNormal:
        t.priority = pr < 0.15 ? Priority::kHigh : pr < 0.9 ? Priority::kNormal : Priority::kLow;
        break;
      case Severity::kSuggestion: t.priority = pr < 0.7 ? Priority::kLow : Priority::kNormal; break;
    }
    if (cust.tier != Tier::kRegular && t.priority != Priority::kUrgent && rng.Chance(0.5))
      t.priority = static_cast<Priority>(static_cast<int>(t.priority) - 1);

    size_t product = static_cast<size_t>(rng.Int(0, static_cast<int>(kProducts.size()) - 1));
    Vars v;
    v.product = english ? std::string(kProductsEn[product]) : std::string(kProducts[product]);
    v.order = fmt::format("{}{}", english ? "SO" : "DD", Digits(rng, 12));
    v.days = std::to_string(rng.Int(2, 15));
    v.amount = english ? fmt::format("{}.{:02}", rng.Int(9, 899), rng.Int(0, 99))
                       : fmt::format("{}.{:02}", rng.Int(19, 4999), rng.Int(0, 9) * 10);
    v.city = std::string(rng.Pick(std::span<const Sv>(kCities[static_cast<size_t>(ci.region)])));
    v.courier = english ? std::string(rng.Pick(kCouriersSea)) : std::string(rng.Pick(kCouriers));
    v.agent = agent.display_name;
    v.customer = cust.name;
    v.digits = Digits(rng, 4);
    v.coupon = std::to_string(rng.Int(1, 5) * 10);

    const Tpl* tpl = nullptr;
    int native = cat == kProduct ? 0 : cat == kLogistics ? 1 : cat == kBilling ? 2 : -1;
    if (english && native >= 0 && cust.language == "th" && rng.Chance(0.6)) {
      tpl = &kTh[static_cast<size_t>(native)];
    } else if (english && native >= 0 && cust.language == "vi" && rng.Chance(0.6)) {
      tpl = &kVi[static_cast<size_t>(native)];
    } else {
      const auto& list = english ? kEn[cat] : kZh[cat];
      tpl = &list[static_cast<size_t>(rng.U() * static_cast<double>(list.size()))];
    }
    t.subject = Fill(tpl->subject, v);
    if (!t.subject.empty() && t.subject[0] >= 'a' && t.subject[0] <= 'z') t.subject[0] = static_cast<char>(t.subject[0] - 'a' + 'A');
    t.description = Fill(tpl->body, v);
    v.subject = t.subject;
    const Replies& say = english ? kRepliesEn : kRepliesZh;
    auto line = [&](const std::vector<Sv>& options) {
      return Fill(options[static_cast<size_t>(rng.U() * static_cast<double>(options.size()))], v);
    };

    // Tags.
    if (spike && cat == kTechnical) t.tags.push_back("系统故障");
    if (ci.tickets > 0 && rng.Chance(0.12)) t.tags.push_back("重复投诉");
    if (rng.Chance(0.18)) {
      std::string tag(rng.Pick(kTags));
      if (std::ranges::find(t.tags, tag) == t.tags.end()) t.tags.push_back(std::move(tag));
    }
    if (rng.Chance(0.03) && handler != staff.users[0]) t.collaborator_ids.push_back(lead.id);

    // How fast this one moves.
    double speed = agent.speed * (spike ? 1.8 : 1.0) * (cust.tier == Tier::kVip ? 0.6 : 1.0);
    double sev = t.severity == Severity::kSevere ? 0.35 : t.severity == Severity::kSuggestion ? 2.2 : 1.0;
    double channel_speed = t.channel == Channel::kChat    ? 0.3
                           : t.channel == Channel::kEmail ? 1.8
                           : t.channel == Channel::kSocial ? 1.2
                                                          : 1.0;
    bool stuck = rng.Chance(0.02);

    // The story.
    const TicketState& initial = w.states[static_cast<size_t>(StateType::kNew)];
    t.state_type = StateType::kNew;
    t.state_id = initial.id;
    Life life(p, w);
    const bool agent_intake = t.channel == Channel::kPhone || t.channel == Channel::kWalkIn;
    const AuthorKind intake_kind = agent_intake                ? AuthorKind::kAgent
                                   : t.channel == Channel::kChat ? AuthorKind::kCustomer
                                                                 : AuthorKind::kSystem;
    life.At(created_at);
    life.Event(intake_kind, agent.id, "created", "state", "", initial.name);
    if (ci.last_ticket_id && ci.last_closed_at && created_at - *ci.last_closed_at < 30 * kDay && rng.Chance(0.08)) {
      p.link_previous = ci.last_ticket_id;
      p.link_at = created_at;
      life.Event(intake_kind, agent.id, "linked", "related", "", ci.last_number);
    }
    life.Msg(MessageKind::kReply, AuthorKind::kCustomer, std::nullopt, t.channel, t.description);

    // Routing and assignment.
    life.At(created_at + (agent_intake ? 0 : rng.Int(5, 90) * kSecond));
    life.Event(agent_intake ? AuthorKind::kAgent : AuthorKind::kSystem, agent.id, "field_changed", "team", "",
               w.teams[static_cast<size_t>(team)].name);
    if (!life.stopped()) t.team_id = w.teams[static_cast<size_t>(team)].id;
    Millis at = agent_intake ? life.cur() : Work(rng, life.cur() + rng.LogNormal(15.0 * kMinute * speed, 0.8), tz);
    bool by_lead = !agent_intake && handler != staff.users[0] && rng.Chance(0.5);
    life.At(at);
    life.Event(AuthorKind::kAgent, by_lead ? lead.id : agent.id, "field_changed", "assignee", "", agent.username);
    if (!life.stopped()) t.assignee_id = agent.id;

    // First response: the call itself for phone complaints, else a reply.
    if (t.channel == Channel::kPhone) {
      std::int64_t seconds = rng.Int(90, 900);
      life.At(created_at + seconds * kSecond);
      life.Msg(MessageKind::kCall, AuthorKind::kAgent, agent.id, Channel::kPhone, line(say.call_in),
               CallDirection::kInbound, seconds);
    } else {
      life.At(Work(rng, life.cur() + rng.LogNormal(50.0 * kMinute * speed * sev * channel_speed, 0.9), tz));
      life.Msg(MessageKind::kReply, AuthorKind::kAgent, agent.id, t.channel, line(say.ack));
    }
    life.State(StateType::kOpen, AuthorKind::kAgent, agent.id);

    if (rng.Chance(0.15)) {
      life.At(Work(rng, life.cur() + rng.LogNormal(40.0 * kMinute, 0.8), tz));
      life.Msg(MessageKind::kNote, AuthorKind::kAgent, agent.id, t.channel, line(say.notes));
    }

    double path = rng.U();
    bool resolved_without_customer = false;
    if (path < 0.08) {
      // A question to another department.
      int dep = cat == kProduct ? 0 : cat == kLogistics ? 1 : cat == kTechnical ? 2 : rng.Int(0, 2);
      Id dep_id = dep == 0 ? w.dep_product : dep == 1 ? w.dep_logistics : w.dep_technology;
      Sv dep_key = dep == 0 ? "product" : dep == 1 ? "logistics" : "technology";
      std::optional<Id> owner;
      if (dep == 0) owner = w.users[kUserLiaisonProduct].id;
      if (dep == 1) owner = w.users[kUserLiaisonLogistics].id;
      life.At(Work(rng, life.cur() + rng.LogNormal(1.5 * kHour * speed, 0.7), tz));
      Millis due = life.cur() + (t.severity == Severity::kSevere ? 8 * kHour : rng.Chance(0.7) ? kDay : 2 * kDay);
      int h = life.CreateHandoff(dep_id, dep_key, Fill(say.handoff_question[static_cast<size_t>(dep)], v), due, owner,
                                 agent.id);
      life.State(StateType::kPendingInternal, AuthorKind::kAgent, agent.id);
      double dep_median = dep == 0 ? 14 * kHour : dep == 1 ? 8 * kHour : (spike ? 20 * kHour : 5 * kHour);
      double late = rng.Chance(0.15) ? 5.0 : 1.0;
      life.At(Work(rng, life.cur() + rng.LogNormal(dep_median * late, 0.8), 8));
      life.AnswerHandoff(h, Fill(say.handoff_answer[static_cast<size_t>(dep)][static_cast<size_t>(rng.Int(0, 1))], v),
                         owner);
      life.At(Work(rng, life.cur() + rng.LogNormal(1.0 * kHour * speed, 0.7), tz));
      life.State(StateType::kOpen, AuthorKind::kAgent, agent.id);
      life.Msg(MessageKind::kReply, AuthorKind::kAgent, agent.id, t.channel, line(say.after_handoff));
    } else if (path < 0.36) {
      // Waiting for the customer.
      life.At(Work(rng, life.cur() + rng.LogNormal(2.0 * kHour * speed, 0.8), tz));
      life.Msg(MessageKind::kReply, AuthorKind::kAgent, agent.id, t.channel, line(say.ask));
      life.State(StateType::kPendingCustomer, AuthorKind::kAgent, agent.id);
      if (rng.Chance(0.85)) {
        life.At(Awake(rng, life.cur() + rng.LogNormal(6.0 * kHour, 1.0), tz));
        life.Msg(MessageKind::kReply, AuthorKind::kCustomer, std::nullopt, t.channel, line(say.info));
        life.State(StateType::kOpen, AuthorKind::kCustomer, std::nullopt);
      } else {
        life.At(Work(rng, life.cur() + 3 * kDay + rng.Int(0, 240) * kMinute, tz));
        life.Msg(MessageKind::kReply, AuthorKind::kAgent, agent.id, t.channel, line(say.no_reply));
        life.State(StateType::kResolved, AuthorKind::kAgent, agent.id);
        resolved_without_customer = true;
      }
    }
    if (t.channel == Channel::kPhone && !resolved_without_customer && rng.Chance(0.4)) {
      life.At(Work(rng, life.cur() + rng.LogNormal(3.0 * kHour * speed, 0.8), tz));
      life.Msg(MessageKind::kCall, AuthorKind::kAgent, agent.id, Channel::kPhone, line(say.call_back),
               CallDirection::kOutbound, rng.Int(30, 480));
    }

    // Resolution, perhaps a reopen, and closing.
    double resolve_median = 28.0 * kHour * speed * sev * (stuck ? 12.0 : 1.0);
    if (!resolved_without_customer) {
      life.At(Work(rng, life.cur() + rng.LogNormal(resolve_median * 0.9, 0.9), tz));
      life.Msg(MessageKind::kReply, AuthorKind::kAgent, agent.id, t.channel, Fill(say.resolve[cat], v));
      life.State(StateType::kResolved, AuthorKind::kAgent, agent.id);
    }
    if (rng.Chance(0.055)) {
      life.At(Awake(rng, life.cur() + rng.LogNormal(1.5 * kDay, 0.6), tz));
      life.Msg(MessageKind::kReply, AuthorKind::kCustomer, std::nullopt, t.channel, line(say.reopen));
      life.State(StateType::kOpen, AuthorKind::kCustomer, std::nullopt);
      life.At(Work(rng, life.cur() + rng.LogNormal(2.0 * kHour * speed, 0.8), tz));
      life.Msg(MessageKind::kReply, AuthorKind::kAgent, agent.id, t.channel, line(say.reopen_ack));
      life.At(Work(rng, life.cur() + rng.LogNormal(20.0 * kHour * speed, 0.8), tz));
      life.Msg(MessageKind::kReply, AuthorKind::kAgent, agent.id, t.channel, Fill(say.resolve[cat], v));
      life.State(StateType::kResolved, AuthorKind::kAgent, agent.id);
    }
    if (rng.Chance(0.25)) {
      life.At(Work(rng, life.cur() + rng.LogNormal(2.0 * kHour, 0.8), tz));
      life.State(StateType::kClosed, AuthorKind::kAgent, agent.id);
    } else {
      life.At(life.cur() + 7 * kDay);
      life.State(StateType::kClosed, AuthorKind::kSystem, std::nullopt);
    }

    ci.tickets++;
    return p;
  }
};

// Writes one complaint with everything that belongs to it.
Status Insert(WriteTx& tx, World& w, Plan& p, DemoSummary& sum) {
  CustomerInfo& ci = w.customers[static_cast<size_t>(p.customer)];
  if (!ci.inserted) {
    KEFU_TRY(tx.InsertCustomer(ci.record));
    ci.inserted = true;
    sum.customers++;
  }
  Ticket& t = p.t;
  t.customer_id = ci.record.id;
  KEFU_ASSIGN(t.number, tx.NextTicketNumber(UtcDayStamp(t.created_at)));
  KEFU_TRY(tx.InsertTicket(t));
  for (auto& m : p.messages) {
    m.ticket_id = t.id;
    KEFU_TRY(tx.InsertMessage(m));
  }
  for (auto& h : p.handoffs) {
    h.ticket_id = t.id;
    KEFU_TRY(tx.InsertHandoff(h));
  }
  for (auto& pe : p.events) {
    pe.e.ticket_id = t.id;
    if (pe.message >= 0) pe.e.to = std::to_string(p.messages[static_cast<size_t>(pe.message)].id);
    if (pe.handoff >= 0) pe.e.to = std::to_string(p.handoffs[static_cast<size_t>(pe.handoff)].id);
    KEFU_TRY(tx.InsertEvent(pe.e));
  }
  if (p.link_previous) {
    KEFU_ASSIGN(Ticket prev, tx.GetTicket(*p.link_previous));
    std::optional<Id> by = p.events.front().e.actor_id;
    TicketLink a{0, t.id, prev.id, LinkKind::kRelated, by, p.link_at};
    TicketLink b{0, prev.id, t.id, LinkKind::kRelated, by, p.link_at};
    KEFU_TRY(tx.InsertLink(a));
    KEFU_TRY(tx.InsertLink(b));
    TicketEvent e{0, prev.id, p.link_at, p.events.front().e.actor_kind, by, "linked", "related", "", t.number};
    KEFU_TRY(tx.InsertEvent(e));
    sum.events++;
    if (prev.updated_at < p.link_at) {
      prev.updated_at = p.link_at;
      KEFU_TRY(tx.UpdateTicket(prev));
    }
  }
  ci.last_ticket_id = t.id;
  ci.last_number = t.number;
  ci.last_closed_at = t.closed_at;
  sum.tickets++;
  sum.messages += static_cast<int>(p.messages.size());
  sum.events += static_cast<int>(p.events.size());
  sum.handoffs += static_cast<int>(p.handoffs.size());
  return {};
}

// Complaint arrival times over the history: weekday and daytime peaks, a
// rising trend and one spike week. Sorted, all before `now`.
std::vector<Millis> ArrivalTimes(Rng& rng, Millis now, int count) {
  // Day 0 is the oldest; days are local (UTC+8) calendar days.
  Millis local_now = now + 8 * kHour;
  Millis today_start = local_now - ((local_now % kDay) + kDay) % kDay - 8 * kHour;  // UTC time of local midnight
  std::vector<double> weights(kHistoryDays);
  for (int d = 0; d < kHistoryDays; ++d) {
    Millis start = today_start - static_cast<Millis>(kHistoryDays - 1 - d) * kDay;
    // 1970-01-01 was a Thursday; 0 = Monday.
    int weekday = static_cast<int>(((start + 8 * kHour) / kDay + 3) % 7);
    double wk = weekday == 5 ? 0.7 : weekday == 6 ? 0.6 : 1.0;
    double trend = 0.75 + 0.5 * d / (kHistoryDays - 1);
    double spike = d >= kSpikeFirstDay && d < kSpikeFirstDay + kSpikeDays ? kSpikeShape[static_cast<size_t>(d - kSpikeFirstDay)] : 1.0;
    double noise = 0.9 + 0.2 * rng.U();
    weights[static_cast<size_t>(d)] = wk * trend * spike * noise;
  }
  std::vector<Millis> out;
  out.reserve(static_cast<size_t>(count));
  while (static_cast<int>(out.size()) < count) {
    int d = static_cast<int>(rng.Weighted(weights));
    Millis start = today_start - static_cast<Millis>(kHistoryDays - 1 - d) * kDay;
    Millis t = start + static_cast<Millis>(rng.Weighted(kHourWeights)) * kHour + rng.Int(0, 3599) * kSecond +
               rng.Int(0, 999);
    if (t >= now - 2 * kMinute) continue;  // not in the future
    out.push_back(t);
  }
  std::ranges::sort(out);
  return out;
}

bool InSpike(Millis t, Millis now) {
  Millis local_now = now + 8 * kHour;
  Millis today_start = local_now - ((local_now % kDay) + kDay) % kDay - 8 * kHour;
  Millis first = today_start - static_cast<Millis>(kHistoryDays - 1 - kSpikeFirstDay) * kDay;
  return t >= first && t < first + kSpikeDays * kDay;
}

}  // namespace

Result<DemoSummary> SeedDemo(Store& store, AccountService& accounts, const DemoOptions& options) {
  if (options.tickets < 0) return Fail(Error::Validation("tickets", "tickets must not be negative"));
  World w;
  w.now = options.now ? options.now : SystemClock().Now();
  DemoSummary sum;

  KEFU_TRY(store.Read([&](ReadTx& tx) -> Status {
    TicketQuery q;
    q.scope.all = true;
    KEFU_ASSIGN(auto n, tx.CountTickets(q));
    if (n > 0)
      return Fail(Error::Conflict(
          fmt::format("the store already has {} complaints; demo data goes into an empty store only", n)));
    return {};
  }));
  ManualClock clock(w.now);
  KEFU_TRY(EnsureDefaults(store, clock));

  // Reference data: teams (reused by name), departments, categories, states.
  const Millis history_start = w.now - static_cast<Millis>(kHistoryDays) * kDay;
  KEFU_TRY(store.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto teams, tx.ListTeams());
    for (size_t i = 0; i < kTeams.size(); ++i) {
      auto it = std::ranges::find_if(teams, [&](const Team& t) { return t.name == kTeams[i].name; });
      if (it != teams.end()) {
        w.teams[i] = *it;
        continue;
      }
      Team t{0, kTeams[i].name, kTeams[i].region, history_start - 30 * kDay};
      KEFU_TRY(tx.InsertTeam(t));
      w.teams[i] = t;
    }
    return {};
  }));
  sum.teams = static_cast<int>(kTeams.size());
  KEFU_TRY(store.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto deps, tx.ListDepartments());
    for (const auto& d : deps) {
      if (d.key == "product") w.dep_product = d.id;
      if (d.key == "logistics") w.dep_logistics = d.id;
      if (d.key == "technology") w.dep_technology = d.id;
    }
    if (!w.dep_product || !w.dep_logistics || !w.dep_technology)
      return Fail(Error::Conflict("the demo needs the departments product, logistics and technology"));
    KEFU_ASSIGN(auto cats, tx.ListCategories());
    for (size_t i = 0; i < kCategoryKeys.size(); ++i)
      for (const auto& c : cats)
        if (c.key == kCategoryKeys[i] && c.active) w.categories[i] = c.id;
    KEFU_ASSIGN(auto states, tx.ListStates());
    for (size_t type = 0; type < w.states.size(); ++type) {
      const TicketState* found = nullptr;
      for (const auto& s : states)
        if (static_cast<size_t>(s.type) == type && (!found || (s.is_default && !found->is_default))) found = &s;
      if (!found)
        return Fail(Error::Conflict(fmt::format("no state of type {}", Name(static_cast<StateType>(type)))));
      w.states[type] = *found;
    }
    return {};
  }));

  // Users: through the account service (hashed passwords, audit entries).
  for (size_t i = 0; i < kUsers.size(); ++i) {
    const UserSpec& spec = kUsers[i];
    std::optional<User> existing;
    KEFU_TRY(store.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(existing, tx.FindUserByUsername(spec.username));
      return {};
    }));
    User u;
    if (existing) {
      u = *existing;
    } else {
      NewUser nu;
      nu.username = spec.username;
      nu.display_name = spec.display_name;
      nu.role = spec.role;
      nu.password = i == kUserAdmin ? kDemoAdminPassword : kDemoUserPassword;
      for (int team : spec.teams)
        if (team >= 0) nu.team_ids.push_back(w.teams[static_cast<size_t>(team)].id);
      if (spec.department)
        nu.department_id = std::string_view(spec.department) == "product" ? w.dep_product : w.dep_logistics;
      nu.language = spec.language;
      nu.time_zone = spec.time_zone;
      KEFU_ASSIGN(u, accounts.CreateUser(Actor{}, nu));
      if (i == kUserAdmin) sum.admin_password = kDemoAdminPassword;
    }
    w.users[i] = AgentInfo{u.id, u.username, u.display_name, spec.speed, std::string_view(spec.language) != "zh-CN"};
    sum.users++;
  }
  sum.admin_username = kUsers[kUserAdmin].username;

  // Complaints, in order of arrival, a batch per transaction.
  Seeder seeder{Rng(options.random_seed), w};
  std::vector<Millis> arrivals = ArrivalTimes(seeder.rng, w.now, options.tickets);
  std::vector<Plan> batch;
  for (size_t start = 0; start < arrivals.size(); start += kBatch) {
    size_t end = std::min(arrivals.size(), start + kBatch);
    batch.clear();
    for (size_t i = start; i < end; ++i) batch.push_back(seeder.Make(arrivals[i], InSpike(arrivals[i], w.now)));
    KEFU_TRY(store.Write([&](WriteTx& tx) -> Status {
      for (auto& p : batch) KEFU_TRY(Insert(tx, w, p, sum));
      return {};
    }));
  }
  return sum;
}

}  // namespace kefu
