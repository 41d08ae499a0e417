"""The services of the catalogue, written for the exchange (Vietnamese first, with English).

Staff edit these texts in the admin once they are stored; ``demo.seed_catalogue`` creates the categories that are
missing and never overwrites an edited one. ``VALUATION`` and ``BROKERAGE`` name the two categories the code itself
relies on (the valuation record, the brokerage requests made from brokers' assignments).
"""

from .models import ServiceCategory, ServiceFAQ

# The categories the code refers to, by code (the code is the page's URL and never changes once stored).
VALUATION = "tham-dinh-dinh-gia"
BROKERAGE = "moi-gioi"

LAW_TT = "Luật Chuyển giao công nghệ số 07/2017/QH14"
LAW_TT_EN = "Law on Technology Transfer No. 07/2017/QH14"

CATEGORIES: list[dict] = [
    {
        "code": "tu-van-cong-nghe",
        "order": 1,
        "name": "Tư vấn công nghệ và chuyển giao công nghệ",
        "name_en": "Technology and technology-transfer consulting",
        "summary": (
            "Chuyên gia giúp doanh nghiệp, hợp tác xã chọn công nghệ phù hợp với quy mô và nguồn vốn, so sánh các "
            "phương án trong nước và nhập khẩu, lập lộ trình đổi mới công nghệ và chuẩn bị hồ sơ để nhận chuyển "
            "giao: từ khảo sát dây chuyền hiện có đến soạn điều khoản kỹ thuật của hợp đồng."
        ),
        "summary_en": (
            "Experts help firms and cooperatives choose a technology that fits their scale and budget, compare "
            "domestic and imported options, draw up an innovation roadmap and prepare to receive a transfer."
        ),
        "audience": (
            "Doanh nghiệp nhỏ và vừa, hợp tác xã, hộ kinh doanh muốn đổi mới thiết bị, quy trình; viện, trường "
            "muốn đưa kết quả nghiên cứu ra sản xuất."
        ),
        "audience_en": (
            "Small firms, cooperatives and households renewing equipment or processes; institutes "
            "and universities taking research to production."
        ),
        "steps": (
            "Gửi yêu cầu mô tả nhu cầu, quy mô sản xuất và ngân sách dự kiến\n"
            "Đơn vị tư vấn khảo sát thực tế cơ sở (trực tiếp hoặc trực tuyến)\n"
            "Nhận báo giá và thống nhất phạm vi công việc\n"
            "Nhận báo cáo phương án công nghệ, lộ trình và khuyến nghị nhà cung cấp\n"
            "Trao đổi, hiệu chỉnh và nghiệm thu báo cáo"
        ),
        "steps_en": (
            "Send a request describing the need, scale and budget\nThe consultant visits the site (or online)\n"
            "Receive a quote and agree the scope\nReceive the technology options, roadmap and supplier advice\n"
            "Review, adjust and accept the report"
        ),
        "typical_duration": "10–30 ngày làm việc",
        "typical_duration_en": "10–30 working days",
        "fees": "",
        "legal_basis": f"{LAW_TT}, Điều 47: tư vấn chuyển giao công nghệ là một dịch vụ chuyển giao công nghệ.",
        "legal_basis_en": f"{LAW_TT_EN}, Article 47: technology-transfer consulting is a technology-transfer service.",
        "sample_documents": ["consulting-brief", "nda"],
        "faqs": [
            (
                "Hợp tác xã nhỏ có được hỗ trợ chi phí tư vấn không?",
                "Có thể. Nhiều tỉnh có chương trình hỗ trợ đổi mới công nghệ cho doanh nghiệp nhỏ và hợp tác xã; "
                "cán bộ Sở Khoa học và Công nghệ sẽ hướng dẫn khi tiếp nhận yêu cầu của bạn.",
            ),
            (
                "Thông tin về dây chuyền của chúng tôi có được giữ kín?",
                "Có. Bạn có thể yêu cầu ký thỏa thuận bảo mật (xem mẫu bên cạnh) trước khi gửi tài liệu kỹ thuật; "
                "tin nhắn và tệp trong yêu cầu chỉ bạn, đơn vị cung cấp và cán bộ Sàn xem được.",
            ),
        ],
    },
    {
        "code": VALUATION,
        "order": 2,
        "name": "Đánh giá và định giá công nghệ",
        "name_en": "Technology assessment and valuation",
        "summary": (
            "Đánh giá trình độ, tính mới và khả năng ứng dụng của một công nghệ; định giá công nghệ theo phương "
            "pháp thị trường, chi phí hoặc thu nhập để đàm phán chuyển giao, góp vốn bằng công nghệ, vay vốn hoặc "
            "ghi nhận tài sản vô hình."
        ),
        "summary_en": (
            "Assess a technology's level, novelty and applicability; value it by the market, cost or income "
            "method for a transfer, a capital contribution, a loan or the books."
        ),
        "audience": (
            "Chủ sở hữu công nghệ (viện, trường, nhà sáng chế) chuẩn bị chào bán; doanh nghiệp góp vốn bằng công "
            "nghệ hoặc cần căn cứ giá khi đàm phán; tổ chức tín dụng cần thẩm định tài sản bảo đảm."
        ),
        "audience_en": (
            "Technology owners preparing an offer; firms contributing technology as "
            "capital or negotiating a price; lenders."
        ),
        "steps": (
            "Gửi yêu cầu kèm mô tả công nghệ và mục đích định giá\n"
            "Ký thỏa thuận bảo mật và cung cấp hồ sơ kỹ thuật, tài chính\n"
            "Nhận báo giá, thời hạn và phương pháp dự kiến\n"
            "Đơn vị định giá khảo sát, phân tích và lập báo cáo\n"
            "Nhận chứng thư hoặc báo cáo định giá với khoảng giá trị và giả định"
        ),
        "steps_en": (
            "Send a request with the technology and the purpose of the valuation\nSign an NDA and share technical "
            "and financial files\nReceive a quote, timeline and method\nThe valuer surveys, analyses and "
            "reports\nReceive the valuation report with a value range and its assumptions"
        ),
        "typical_duration": "20–45 ngày làm việc",
        "typical_duration_en": "20–45 working days",
        "fees": "",
        "legal_basis": (
            f"{LAW_TT}, Điều 47 (đánh giá, định giá, giám định công nghệ là dịch vụ chuyển giao công nghệ); "
            "Nghị định 76/2018/NĐ-CP hướng dẫn Luật Chuyển giao công nghệ."
        ),
        "legal_basis_en": f"{LAW_TT_EN}, Article 47; Decree 76/2018/ND-CP guiding the Law.",
        "sample_documents": ["valuation-outline", "nda"],
        "faqs": [
            (
                "Nên chọn phương pháp định giá nào?",
                "Phương pháp thị trường khi có giao dịch tương tự; phương pháp chi phí khi công nghệ mới hoàn thành "
                "nghiên cứu; phương pháp thu nhập khi đã có số liệu sản xuất, kinh doanh. Đơn vị định giá thường "
                "kết hợp hai phương pháp và nêu khoảng giá trị.",
            ),
            (
                "Kết quả định giá có hiển thị công khai trên tin chào bán không?",
                "Không. Kết quả chỉ hiển thị cho những bên được xem phần bảo mật của tin, theo quyết định của chủ "
                "sở hữu.",
            ),
        ],
    },
    {
        "code": "tu-van-phap-ly",
        "order": 3,
        "name": "Tư vấn pháp lý chuyển giao công nghệ",
        "name_en": "Legal advice on technology transfer",
        "summary": (
            "Luật sư và chuyên gia pháp lý soạn, rà soát hợp đồng chuyển giao công nghệ và li-xăng, tư vấn điều "
            "kiện hạn chế hoặc cấm chuyển giao, thủ tục đăng ký hợp đồng, thuế và ưu đãi, chuyển giao có yếu tố "
            "nước ngoài."
        ),
        "summary_en": (
            "Lawyers draft and review technology-transfer and licence agreements and advise on restricted "
            "transfers, contract registration, tax incentives and cross-border transfers."
        ),
        "audience": "Bên giao và bên nhận công nghệ đang đàm phán hoặc chuẩn bị ký hợp đồng.",
        "audience_en": "Transferors and transferees negotiating or about to sign.",
        "steps": (
            "Gửi yêu cầu và dự thảo hợp đồng (nếu có)\n"
            "Nhận báo giá theo phạm vi công việc\n"
            "Luật sư rà soát, góp ý hoặc soạn hợp đồng\n"
            "Hỗ trợ đàm phán và hoàn thiện hợp đồng\n"
            "Hướng dẫn đăng ký chuyển giao công nghệ khi pháp luật yêu cầu"
        ),
        "steps_en": (
            "Send a request and the draft contract if any\nReceive a quote\nThe lawyer reviews or drafts\n"
            "Support in negotiation\nGuidance on registering the transfer where required"
        ),
        "typical_duration": "5–15 ngày làm việc",
        "typical_duration_en": "5–15 working days",
        "fees": "Rà soát hợp đồng: từ 5.000.000 ₫; soạn hợp đồng trọn gói: theo báo giá.",
        "fees_en": "Contract review: from 5,000,000 VND; drafting: on quotation.",
        "legal_basis": (
            f"{LAW_TT} (hợp đồng chuyển giao công nghệ, đăng ký chuyển giao); Luật Luật sư số 65/2006/QH11."
        ),
        "legal_basis_en": f"{LAW_TT_EN} (contracts, registration); Law on Lawyers No. 65/2006/QH11.",
        "sample_documents": ["licence-outline", "nda"],
        "faqs": [
            (
                "Hợp đồng của tôi có phải đăng ký không?",
                "Hợp đồng chuyển giao công nghệ từ nước ngoài vào Việt Nam, từ Việt Nam ra nước ngoài và một số "
                "trường hợp sử dụng vốn nhà nước phải đăng ký; luật sư sẽ xác định cho trường hợp của bạn.",
            ),
        ],
    },
    {
        "code": "so-huu-tri-tue",
        "order": 4,
        "name": "Sở hữu trí tuệ",
        "name_en": "Intellectual property",
        "summary": (
            "Tra cứu khả năng bảo hộ, soạn và nộp đơn sáng chế, giải pháp hữu ích, kiểu dáng công nghiệp, nhãn "
            "hiệu, chỉ dẫn địa lý; theo dõi đơn, duy trì hiệu lực và xử lý xâm phạm quyền."
        ),
        "summary_en": (
            "Patentability and trademark searches, filing of patents, utility solutions, designs, trademarks and "
            "geographical indications, prosecution, renewals and enforcement."
        ),
        "audience": (
            "Nhà sáng chế, viện, trường có kết quả nghiên cứu; hợp tác xã và doanh nghiệp xây dựng thương hiệu "
            "đặc sản vùng."
        ),
        "audience_en": "Inventors, research bodies, and cooperatives or firms building regional brands.",
        "steps": (
            "Gửi yêu cầu và mô tả đối tượng cần bảo hộ\n"
            "Tra cứu sơ bộ và đánh giá khả năng bảo hộ\n"
            "Nhận báo giá gồm phí dịch vụ và lệ phí nhà nước\n"
            "Soạn và nộp đơn tại Cục Sở hữu trí tuệ\n"
            "Theo dõi, trả lời thông báo thẩm định đến khi cấp văn bằng"
        ),
        "steps_en": (
            "Send a request\nPreliminary search and opinion\nReceive a quote with service and official fees\n"
            "Draft and file with the IP Office of Viet Nam\nProsecute until grant"
        ),
        "typical_duration": "Tra cứu: 5–10 ngày; cấp văn bằng: 12–36 tháng tùy đối tượng",
        "typical_duration_en": "Search: 5–10 days; grant: 12–36 months depending on the right",
        "fees": "",
        "legal_basis": (
            "Luật Sở hữu trí tuệ số 50/2005/QH11 (sửa đổi, bổ sung năm 2009, 2019 và 2022): dịch vụ đại diện "
            "sở hữu công nghiệp."
        ),
        "legal_basis_en": (
            "Law on Intellectual Property No. 50/2005/QH11 (amended 2009, 2019, 2022): IP representation services."
        ),
        "sample_documents": ["ip-checklist"],
        "faqs": [
            (
                "Đã công bố kết quả nghiên cứu trên tạp chí thì còn đăng ký sáng chế được không?",
                "Công bố trước khi nộp đơn có thể làm mất tính mới. Pháp luật có thời hạn ân hạn trong một số "
                "trường hợp; hãy gửi yêu cầu sớm để được tra cứu và tư vấn cụ thể.",
            ),
        ],
    },
    {
        "code": "dao-tao",
        "order": 5,
        "name": "Đào tạo và chuyển giao kỹ thuật",
        "name_en": "Training and technical coaching",
        "summary": (
            "Khóa đào tạo tại chỗ và hướng dẫn kỹ thuật đi kèm chuyển giao: vận hành thiết bị, quy trình canh "
            "tác, nuôi trồng, chế biến, an toàn thực phẩm, chuyển đổi số; cấp giấy chứng nhận hoàn thành."
        ),
        "summary_en": (
            "On-site courses and technical coaching with a transfer: operating equipment, farming and aquaculture "
            "practice, processing, food safety, digital tools; with certificates of completion."
        ),
        "audience": "Hợp tác xã, doanh nghiệp và người lao động nhận công nghệ mới; cán bộ khuyến nông, khuyến ngư.",
        "audience_en": "Cooperatives, firms and workers receiving a new technology; extension officers.",
        "steps": (
            "Gửi yêu cầu: nội dung, số học viên, địa điểm\n"
            "Nhận kế hoạch đào tạo và báo giá\n"
            "Tổ chức lớp học lý thuyết và thực hành tại cơ sở\n"
            "Đánh giá học viên và cấp chứng nhận\n"
            "Hỗ trợ kỹ thuật sau đào tạo"
        ),
        "steps_en": (
            "Send a request: topic, trainees, place\nReceive the plan and a quote\nClassroom and hands-on "
            "sessions on site\nAssessment and certificates\nFollow-up support"
        ),
        "typical_duration": "2–10 ngày mỗi khóa",
        "typical_duration_en": "2–10 days per course",
        "fees": "Từ 1.500.000 ₫ mỗi học viên cho khóa 3 ngày; lớp tại chỗ theo báo giá.",
        "fees_en": "From 1,500,000 VND per trainee for a 3-day course; on-site classes on quotation.",
        "legal_basis": "",
        "sample_documents": ["training-plan"],
        "faqs": [
            (
                "Có tổ chức lớp bằng tiếng Khmer không?",
                "Một số đơn vị có giảng viên nói tiếng Khmer; hãy ghi rõ trong yêu cầu để cán bộ chọn đơn vị phù hợp.",
            ),
        ],
    },
    {
        "code": "ket-noi-dau-tu",
        "order": 6,
        "name": "Kết nối đầu tư và tài chính",
        "name_en": "Investment and finance connection",
        "summary": (
            "Chuẩn bị hồ sơ gọi vốn cho dự án công nghệ, giới thiệu nhà đầu tư, quỹ và chương trình hỗ trợ (quỹ "
            "phát triển khoa học và công nghệ, quỹ đổi mới công nghệ, tín dụng ưu đãi), hỗ trợ góp vốn bằng công "
            "nghệ."
        ),
        "summary_en": (
            "Prepare an investment case for a technology project, meet investors, funds and support programmes, "
            "and structure a capital contribution in technology."
        ),
        "audience": (
            "Doanh nghiệp khởi nghiệp sáng tạo, chủ công nghệ cần vốn thương mại hóa, doanh nghiệp đổi mới dây chuyền."
        ),
        "audience_en": "Start-ups, technology owners raising money to commercialise, firms renewing lines.",
        "steps": (
            "Gửi yêu cầu và giới thiệu dự án\n"
            "Đánh giá mức sẵn sàng gọi vốn\n"
            "Nhận báo giá và thống nhất phạm vi\n"
            "Hoàn thiện hồ sơ giới thiệu dự án\n"
            "Giới thiệu nhà đầu tư, quỹ phù hợp và hỗ trợ làm việc"
        ),
        "steps_en": (
            "Send a request with the project\nInvestment-readiness review\nQuote and scope\nInvestment case "
            "prepared\nIntroductions to investors and funds"
        ),
        "typical_duration": "1–3 tháng",
        "typical_duration_en": "1–3 months",
        "fees": "",
        "legal_basis": (
            f"{LAW_TT}, Điều 47 (xúc tiến chuyển giao công nghệ); Luật Đầu tư số 61/2020/QH14 (góp vốn bằng công nghệ)."
        ),
        "legal_basis_en": f"{LAW_TT_EN}, Article 47 (promotion); Law on Investment No. 61/2020/QH14.",
        "sample_documents": ["investment-teaser", "nda"],
        "faqs": [
            (
                "Sàn có trực tiếp đầu tư vào dự án không?",
                "Không. Sàn kết nối bạn với nhà đầu tư và đơn vị tư vấn đã được xác minh; thỏa thuận đầu tư do các "
                "bên tự quyết định.",
            ),
        ],
    },
    # --- brokerage (issue 13): a broker assigned to a deal or an anonymous listing is a request of this category ----
    {
        "code": BROKERAGE,
        "order": 7,
        "name": "Môi giới chuyển giao công nghệ",
        "name_en": "Technology transfer brokerage",
        "summary": (
            "Tổ chức trung gian đứng giữa bên có công nghệ và bên cần công nghệ: giới thiệu hai bên, chuyển tiếp "
            "yêu cầu của tin ẩn danh, hỗ trợ đàm phán và theo dõi giao dịch đến khi ký hợp đồng."
        ),
        "summary_en": (
            "An intermediary between the owner of a technology and those who need it: introduces the parties, "
            "forwards the inquiries of anonymous listings, helps negotiate and follows the deal to the contract."
        ),
        "audience": (
            "Chủ công nghệ muốn giữ ẩn danh khi chào bán; bên mua cần người kết nối và đàm phán; các bên của một "
            "giao dịch cần người trung gian do Sàn chỉ định."
        ),
        "audience_en": (
            "Owners who want to stay anonymous while offering; buyers who need someone to connect and negotiate; "
            "the parties of a deal that needs an intermediary appointed by the exchange."
        ),
        "steps": (
            "Sàn chỉ định tổ chức môi giới cho tin ẩn danh hoặc cho giao dịch\n"
            "Tổ chức môi giới tiếp nhận và chuyển tiếp yêu cầu giữa các bên\n"
            "Hỗ trợ thỏa thuận bảo mật, đàm phán điều khoản\n"
            "Theo dõi đến khi ký hợp đồng và báo hoàn thành\n"
            "Khách hàng đánh giá dịch vụ môi giới"
        ),
        "steps_en": (
            "The exchange appoints a broker for an anonymous listing or for a deal\nThe broker receives and forwards "
            "the parties' requests\nHelp with the NDA and the negotiation of terms\nFollow-up to the signed "
            "contract, then delivery\nThe client rates the brokerage"
        ),
        "typical_duration": "Theo tiến độ giao dịch",
        "typical_duration_en": "As long as the deal",
        "fees": "",
        "legal_basis": (
            f"{LAW_TT}, Điều 47 (môi giới chuyển giao công nghệ là dịch vụ chuyển giao công nghệ); "
            "Nghị định 76/2018/NĐ-CP."
        ),
        "legal_basis_en": f"{LAW_TT_EN}, Article 47 (brokerage); Decree 76/2018/ND-CP.",
        "sample_documents": ["nda"],
        "faqs": [
            (
                "Ai chỉ định tổ chức môi giới?",
                "Cán bộ Sàn chỉ định một tổ chức trung gian cho tin ẩn danh hoặc cho một giao dịch; việc chỉ định "
                "hiện thành một yêu cầu dịch vụ môi giới mà các bên theo dõi và đánh giá như mọi dịch vụ khác.",
            ),
        ],
    },
]


def store_category(code: str) -> tuple[ServiceCategory, bool]:
    """The stored category of this code, created from the text above (with its FAQ) if missing; never overwritten."""
    item = next(item for item in CATEGORIES if item["code"] == code)
    data = {key: value for key, value in item.items() if key not in ("code", "faqs")}
    category, created = ServiceCategory.objects.get_or_create(code=code, defaults=data)
    if created:
        for order, (question, answer) in enumerate(item.get("faqs", ())):
            ServiceFAQ.objects.create(category=category, question=question, answer=answer, order=order)
    return category, created
